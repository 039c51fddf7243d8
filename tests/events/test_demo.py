"""The demo's agenda: about ten events around today, of every kind, one full with a waiting list, a trade
mission abroad with AWEX; built once (a second run is tests/home/test_load_demo.py's), and served as the policy says.

The tests only read the demo, so the module loads it once (`shared_demo`, tests/conftest.py)."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import EventIndexPage, EventPage, Registration
from members.services import feed_token_for

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


@pytest.fixture
def demo(shared_demo):
    return shared_demo


def test_the_agenda_is_in_the_main_navigation_with_about_ten_events_past_and_upcoming(demo):
    agenda = EventIndexPage.objects.get()
    assert agenda.show_in_menus and agenda.live and agenda.get_parent().specific_class.__name__ == "HomePage"
    events = EventPage.objects.live().child_of(agenda)
    now = timezone.now()
    assert 10 <= events.count() <= 14
    assert events.filter(ends_at__lte=now).count() >= 2 and events.filter(starts_at__gt=now).count() >= 6
    assert set(events.values_list("kind", flat=True)) == set(EventPage.Kind.values)
    assert set(events.values_list("audience", flat=True)) == set(EventPage.EventAudience.values)


def test_one_upcoming_event_is_full_with_a_waiting_list(demo):
    full = [
        event
        for event in EventPage.objects.live().filter(capacity__isnull=False, starts_at__gt=timezone.now())
        if event.registrations.filter(state="confirmed").count() >= event.capacity
    ]
    assert len(full) == 1
    (event,) = full
    assert event.registrations.filter(state="confirmed").count() == event.capacity  # never beyond it
    assert event.registrations.filter(state="waiting").count() >= 1


def test_a_trade_mission_with_awex_happens_in_another_time_zone(demo):
    missions = EventPage.objects.filter(kind="trade_mission", partner="AWEX").exclude(time_zone="Europe/Brussels")
    assert missions.filter(starts_at__gt=timezone.now()).exists()
    mission = missions.first()
    assert mission.starts_at == mission.local_start().astimezone(datetime.UTC)
    assert mission.local_start().utcoffset() != mission.local_start().astimezone(BRUSSELS).utcoffset()


def test_each_demo_account_sees_its_agenda(client, demo):
    agenda = EventIndexPage.objects.get()
    public = EventPage.objects.filter(audience="public").count()
    assert client.get(agenda.url).content.decode().count('data-testid="agenda-event-') == public
    client.force_login(demo["lead"])  # in Gouvernance IT: sees its workshop
    html = client.get(agenda.url).content.decode()
    workshop = EventPage.objects.get(audience="group")
    assert workshop.title.replace("'", "&#x27;") in html
    client.force_login(demo["premium"])  # not in the group
    assert workshop.title.replace("'", "&#x27;") not in client.get(agenda.url).content.decode()


def test_a_demo_member_finds_their_registrations_in_their_calendar(client, demo):
    member = demo["basic"]
    response = client.get(reverse("events:my_calendar", args=[feed_token_for(member)]))
    cal = icalendar.Calendar.from_ical(response.content)
    mine = Registration.objects.filter(user=member, state="confirmed", event__ends_at__gte=timezone.now())
    titles = {str(item["SUMMARY"]) for item in cal.walk("VEVENT")}
    assert set(mine.values_list("event__title", flat=True)) <= titles
