"""The reminder e-mail the day before: once per participant, honouring preferences and the policy."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from events import services
from events.models import Registration
from members.models import Membership, Profile
from members.services import person_name
from tests.factories.events import make_event
from tests.factories.members import make_member

BRUSSELS = datetime.timezone(datetime.timedelta(hours=1))  # December: CET


@pytest.fixture
def tomorrow_event(agenda):
    day = timezone.localdate() + datetime.timedelta(days=10)
    return make_event(agenda, title="Petit-déjeuner IA", start_date=day, start_time=datetime.time(8, 30), capacity=2)


def the_day_before(event, hour=7):
    """A moment on the day before the event, in Brussels."""
    day = event.start_date - datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=BRUSSELS)


def run(*args):
    out = StringIO()
    call_command("send_event_reminders", *args, stdout=out)
    return out.getvalue()


def test_participants_are_reminded_once_the_day_before(tomorrow_event, mailoutbox):
    alice, bob = make_member("basic", email="alice@example.org"), make_member("basic", email="bob@example.org")
    services.register(tomorrow_event, alice)
    services.register(tomorrow_event, bob)
    mailoutbox.clear()
    with time_machine.travel(the_day_before(tomorrow_event), tick=False):
        run()
        assert sorted(m.to[0] for m in mailoutbox) == ["alice@example.org", "bob@example.org"]
        assert all("Petit-déjeuner IA" in m.subject for m in mailoutbox)
        run()  # an hourly cron: the same day again
    with time_machine.travel(the_day_before(tomorrow_event, hour=23), tick=False):
        run()
    assert len(mailoutbox) == 2
    assert Registration.objects.filter(reminded_at__isnull=False).count() == 2


def test_nothing_is_sent_two_days_before_or_on_the_day(tomorrow_event, mailoutbox):
    services.register(tomorrow_event, make_member("basic"))
    mailoutbox.clear()
    with time_machine.travel(the_day_before(tomorrow_event) - datetime.timedelta(days=1), tick=False):
        run()
    with time_machine.travel(the_day_before(tomorrow_event) + datetime.timedelta(days=1, hours=2), tick=False):
        run()  # 9:00 on the day: the event has started
    assert mailoutbox == []


def test_preferences_waiting_list_cancellations_and_ended_memberships(tomorrow_event, mailoutbox):
    wants, opted_out, ended = (make_member("basic") for _ in range(3))
    waiting, cancelled = make_member("basic"), make_member("basic")
    Profile.objects.filter(user=opted_out).update(notify_events=False)
    services.register(tomorrow_event, wants)
    services.register(tomorrow_event, opted_out)
    services.register(tomorrow_event, waiting)  # full: waits
    services.register(tomorrow_event, cancelled)
    services.cancel(tomorrow_event, cancelled)
    tomorrow_event.capacity = 3
    tomorrow_event.save()
    services.promote_waiting(tomorrow_event)  # `waiting` gets the third seat
    services.register(tomorrow_event, ended)  # waiting list, then...
    Registration.objects.filter(user=ended).update(state=Registration.State.CONFIRMED)
    Membership.objects.filter(user=ended).update(valid_until=tomorrow_event.start_date - datetime.timedelta(days=5))
    mailoutbox.clear()
    with time_machine.travel(the_day_before(tomorrow_event), tick=False):
        output = run()
    assert sorted(m.to[0] for m in mailoutbox) == sorted([wants.email, waiting.email])
    assert person_name(ended) in output  # named as not reminded: no longer entitled to come


def test_a_dry_run_lists_and_sends_nothing(tomorrow_event, mailoutbox):
    person = make_member("basic", email="claire@example.org")
    services.register(tomorrow_event, person)
    mailoutbox.clear()
    with time_machine.travel(the_day_before(tomorrow_event), tick=False):
        output = run("--dry-run")
    assert "claire@example.org" in output
    assert mailoutbox == []
    assert Registration.objects.get(user=person).reminded_at is None


def test_the_reminder_carries_the_online_link_to_participants(agenda, mailoutbox):
    event = make_event(agenda, online_url="https://visio.example.org/salle")
    services.register(event, make_member("basic"))
    mailoutbox.clear()
    with time_machine.travel(the_day_before(event), tick=False):
        run()
    assert "https://visio.example.org/salle" in mailoutbox[0].body
