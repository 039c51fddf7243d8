"""Factories for the agenda and its events (shared by the registration and the agenda/calendar tests)."""

import datetime

import factory
import wagtail_factories
from django.utils import timezone

from events.models import EventIndexPage, EventPage, EventSpeaker, Registration

# Tests assert that this string is absent wherever a viewer may only see an event's teaser.
BODY_MARKER = "PROGRAMME-RESERVE"
ONLINE_URL = "https://visio.example.org/salle-secrete"


def in_days(days):
    return timezone.localdate() + datetime.timedelta(days=days)


class EventIndexPageFactory(wagtail_factories.PageFactory):
    title = "Agenda"
    slug = "agenda"
    introduction = "<p>Les activités du club.</p>"

    class Meta:
        model = EventIndexPage


class EventPageFactory(wagtail_factories.PageFactory):
    """A members' conference in Brussels, in two weeks, 9:00-17:00, no capacity limit, free."""

    title = factory.Sequence(lambda n: f"Conférence {n}")
    kind = EventPage.Kind.CONFERENCE
    summary = "Une rencontre entre DSI."
    body = f"<p>Le déroulé détaillé. {BODY_MARKER}</p>"
    start_date = factory.LazyFunction(lambda: in_days(14))
    start_time = datetime.time(9, 0)
    end_time = datetime.time(17, 0)
    time_zone = "Europe/Brussels"
    venue = "Palais des Congrès"
    address = "Place d'Armes 1, 5000 Namur"
    map_url = "https://www.openstreetmap.org/?mlat=50.46&mlon=4.87"
    audience = EventPage.EventAudience.MEMBERS
    capacity = None
    registration_open = True

    class Meta:
        model = EventPage


class EventSpeakerFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(EventPageFactory)
    name = factory.Sequence(lambda n: f"Oratrice {n}")
    role = "DSI, Ville de Namur"

    class Meta:
        model = EventSpeaker


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A registration written directly (tests of listings); tests of the rules go through events.services."""

    event = factory.SubFactory(EventPageFactory)
    user = factory.SubFactory("tests.factories.members.UserFactory")
    state = Registration.State.CONFIRMED
    confirmed_at = factory.LazyAttribute(lambda o: timezone.now() if o.state == Registration.State.CONFIRMED else None)

    class Meta:
        model = Registration


def make_event(index, **fields):
    """A published event under `index` (the agenda), with its UTC start and end computed."""
    event = EventPageFactory(parent=index, **fields)
    event.refresh_from_db()
    return event
