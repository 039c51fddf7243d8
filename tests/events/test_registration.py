"""Registration services: capacity, waiting list and its promotions, cancellation, deadlines, duplicates."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageLogEntry

from events import services
from events.models import Registration
from events.tasks import registration_email
from members.models import Membership
from tests.factories.events import make_event
from tests.factories.members import make_member

State = Registration.State


@pytest.fixture
def full_event(agenda):
    return make_event(agenda, capacity=2, title="Atelier NIS2")


def test_seats_are_given_until_capacity_then_the_waiting_list(full_event):
    people = [make_member("basic") for _ in range(4)]
    states = [services.register(full_event, person).state for person in people]
    assert states == [State.CONFIRMED, State.CONFIRMED, State.WAITING, State.WAITING]
    assert services.seats_left(full_event) == 0
    waiting = Registration.objects.filter(event=full_event, state=State.WAITING).order_by("registered_at", "pk")
    assert [services.waiting_position(r) for r in waiting] == [1, 2]


def test_a_confirmation_is_e_mailed_after_the_commit(full_event, on_commit, mailoutbox):
    person = make_member("basic", email="claire@example.org")
    with on_commit():
        services.register(full_event, person)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["claire@example.org"]
    assert "Atelier NIS2" in mailoutbox[0].subject


def test_the_waiting_list_e_mail_gives_the_position(full_event, on_commit, mailoutbox):
    for _ in range(2):
        services.register(full_event, make_member("basic"))
    person = make_member("basic")
    with on_commit():
        services.register(full_event, person)
    registration = Registration.objects.get(user=person)
    assert mailoutbox[-1].body == registration_email(registration, "waiting")[1]
    assert services.waiting_position(registration) == 1


def test_a_cancellation_promotes_the_earliest_waiting_person_and_tells_them(full_event, on_commit, mailoutbox):
    first, second, third, fourth = (make_member("basic") for _ in range(4))
    for person in (first, second, third, fourth):
        services.register(full_event, person)
    mailoutbox.clear()
    with on_commit():
        services.cancel(full_event, first)
    states = dict(Registration.objects.filter(event=full_event).values_list("user_id", "state"))
    assert states == {
        first.pk: State.CANCELLED,
        second.pk: State.CONFIRMED,
        third.pk: State.CONFIRMED,
        fourth.pk: State.WAITING,
    }
    recipients = {message.to[0]: message for message in mailoutbox}
    assert set(recipients) == {first.email, third.email}  # the cancellation, the promotion
    promoted = Registration.objects.get(user=third)
    assert recipients[third.email].body == registration_email(promoted, "promoted")[1]
    assert recipients[first.email].body == registration_email(Registration.objects.get(user=first), "cancelled")[1]
    assert services.waiting_position(Registration.objects.get(user=fourth)) == 1


def test_leaving_the_waiting_list_promotes_nobody(full_event):
    people = [make_member("basic") for _ in range(3)]
    for person in people:
        services.register(full_event, person)
    services.cancel(full_event, people[2])
    assert Registration.objects.filter(event=full_event, state=State.CONFIRMED).count() == 2
    assert Registration.objects.get(user=people[2]).state == State.CANCELLED


def test_registering_twice_returns_the_same_registration(full_event, on_commit, mailoutbox):
    person = make_member("basic")
    with on_commit():
        first = services.register(full_event, person)
        again = services.register(full_event, person)
    assert first.pk == again.pk
    assert Registration.objects.filter(event=full_event, user=person).count() == 1
    assert len(mailoutbox) == 1  # no second confirmation


def test_registering_again_after_cancelling_joins_the_end_of_the_queue(full_event):
    a, b, c = (make_member("basic") for _ in range(3))
    services.register(full_event, a)
    services.register(full_event, b)
    services.register(full_event, c)  # waiting
    services.cancel(full_event, a)  # c promoted
    again = services.register(full_event, a)
    assert again.state == State.WAITING and again.cancelled_at is None
    assert Registration.objects.filter(event=full_event, user=a).count() == 1


def test_cancelling_twice_is_not_an_error(full_event):
    person = make_member("basic")
    services.register(full_event, person)
    services.cancel(full_event, person)
    assert services.cancel(full_event, person).state == State.CANCELLED


def test_cancelling_without_a_registration_says_so(full_event):
    with pytest.raises(services.RegistrationError) as error:
        services.cancel(full_event, make_member("basic"))
    assert error.value.reason == "not_registered"


def test_capacity_raised_by_an_editor_fills_the_new_seats_in_queue_order(full_event):
    people = [make_member("basic") for _ in range(5)]
    for person in people:
        services.register(full_event, person)
    full_event.capacity = 3
    full_event.save()
    promoted = services.promote_waiting(full_event)
    assert [r.user_id for r in promoted] == [people[2].pk]
    assert Registration.objects.filter(event=full_event, state=State.CONFIRMED).count() == 3


def test_publishing_more_seats_promotes_the_waiting_list(full_event, on_commit):
    people = [make_member("basic") for _ in range(3)]
    for person in people:
        services.register(full_event, person)
    full_event.capacity = 10
    with on_commit():
        full_event.save_revision().publish()
    assert Registration.objects.get(user=people[2]).state == State.CONFIRMED


def test_lowering_the_capacity_removes_nobody(full_event):
    people = [make_member("basic") for _ in range(2)]
    for person in people:
        services.register(full_event, person)
    full_event.capacity = 1
    full_event.save()
    assert services.promote_waiting(full_event) == []
    assert Registration.objects.filter(event=full_event, state=State.CONFIRMED).count() == 2
    assert services.seats_left(full_event) == 0


def test_a_waiting_person_whose_membership_ended_is_passed_over(full_event):
    a, b = make_member("basic"), make_member("basic")
    services.register(full_event, a)
    services.register(full_event, b)
    ended, next_one = make_member("basic"), make_member("basic")
    services.register(full_event, ended)
    services.register(full_event, next_one)
    Membership.objects.filter(user=ended).update(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    services.cancel(full_event, a)
    assert Registration.objects.get(user=next_one).state == State.CONFIRMED
    assert Registration.objects.get(user=ended).state == State.WAITING


def test_no_limit_means_everyone_is_registered(agenda):
    event = make_event(agenda, capacity=None)
    assert all(services.register(event, make_member("basic")).state == State.CONFIRMED for _ in range(3))
    assert services.seats_left(event) is None


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"registration_open": False}, "closed"),
        ({"registration_deadline": timezone.now() - datetime.timedelta(hours=1)}, "deadline"),
        ({"start_date": timezone.localdate() - datetime.timedelta(days=3)}, "past"),
    ],
)
def test_closed_late_or_past_registrations_are_refused(agenda, fields, reason):
    event = make_event(agenda, **fields)
    with pytest.raises(services.RegistrationError) as error:
        services.register(event, make_member("basic"))
    assert error.value.reason == reason
    assert not Registration.objects.exists()


def test_a_started_event_can_no_longer_be_cancelled(agenda):
    event = make_event(agenda)
    person = make_member("basic")
    services.register(event, person)
    with pytest.raises(services.RegistrationError) as error:
        services.cancel(event, person, now=event.starts_at + datetime.timedelta(minutes=5))
    assert error.value.reason == "started"


def test_each_write_is_in_the_audit_log(full_event):
    a, b, c = (make_member("basic") for _ in range(3))
    for person in (a, b, c):
        services.register(full_event, person)
    services.cancel(full_event, a)
    actions = list(PageLogEntry.objects.filter(page=full_event).order_by("pk").values_list("action", flat=True))
    assert [x for x in actions if x.startswith("cercle.event.")] == [
        "cercle.event.register",
        "cercle.event.register",
        "cercle.event.wait",
        "cercle.event.cancel",
        "cercle.event.promote",
    ]


@pytest.mark.parametrize(
    ("kind", "entitled"),
    [("basic", True), ("premium", True), ("expired", False), ("unsigned", False), ("staff", True)],
)
def test_who_may_register_for_a_members_event(agenda, viewers, kind, entitled):
    event = make_event(agenda, audience="members")
    if entitled:
        assert services.register(event, viewers[kind]).state == State.CONFIRMED
    else:
        with pytest.raises(services.RegistrationError) as error:
            services.register(event, viewers[kind])
        assert error.value.reason == "not_entitled"


@pytest.mark.parametrize(("kind", "entitled"), [("basic", False), ("premium", True), ("staff", True)])
def test_who_may_register_for_a_premium_event(agenda, viewers, kind, entitled):
    event = make_event(agenda, audience="premium")
    assert services.refusal_reason(services.access.Viewer(viewers[kind]), event) == (
        None if entitled else "not_entitled"
    )


def test_a_visitor_account_without_membership_may_not_register_for_a_public_event(agenda):
    from tests.factories.members import UserFactory

    event = make_event(agenda, audience="public")
    with pytest.raises(services.RegistrationError):
        services.register(event, UserFactory())


def test_e_mails_give_the_time_where_the_event_takes_place(agenda, on_commit, mailoutbox):
    event = make_event(
        agenda, time_zone="America/Toronto", start_time=datetime.time(9, 0), end_time=datetime.time(18, 0)
    )
    with on_commit():
        services.register(event, make_member("basic"))
    when = next(line for line in mailoutbox[0].body.splitlines() if "09:00" in line)
    assert "18:00" in when and "America/Toronto" in when  # not 15:00, Brussels time
