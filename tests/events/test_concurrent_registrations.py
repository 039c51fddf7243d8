"""Concurrent registrations: the last seat goes to one person, the others wait; a double submit from two
tabs registers once. Real threads, each with its own connection, start at one barrier.

On PostgreSQL the event's row lock serialises them; on SQLite (a file database, as deployed) its IMMEDIATE
transactions and busy timeout do, and nobody meets "database is locked".

Only transactional tests here (see tests/config/test_concurrent_writes.py for why they get their own file).
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from events.models import Registration
from tests.factories.events import EventIndexPageFactory, make_event
from tests.factories.members import make_member

pytestmark = pytest.mark.django_db(transaction=True)

State = Registration.State


def submit_at_once(users, url):
    """Each user posts `url` from their own thread at the same moment; returns the status codes."""
    barrier = threading.Barrier(len(users))
    statuses, failures = [], []

    def tab(user):
        try:
            client = Client()
            client.force_login(user)
            barrier.wait(timeout=30)
            statuses.append(client.post(url).status_code)
        except Exception as error:  # noqa: BLE001 - a failure in a thread must reach the test's thread
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=tab, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    return statuses


@pytest.fixture
def agenda(club):
    return EventIndexPageFactory(parent=club)


def test_two_people_on_the_last_seat_one_registers_the_other_waits(agenda):
    event = make_event(agenda, capacity=1)
    first, second = make_member("basic"), make_member("basic")
    statuses = submit_at_once([first, second], reverse("events:register", kwargs={"event_id": event.pk}))
    assert statuses == [302, 302]
    states = sorted(Registration.objects.filter(event=event).values_list("state", flat=True))
    assert states == [State.CONFIRMED, State.WAITING]


def test_many_people_on_a_few_seats_never_exceed_the_capacity(agenda):
    event = make_event(agenda, capacity=3)
    people = [make_member("basic") for _ in range(8)]
    submit_at_once(people, reverse("events:register", kwargs={"event_id": event.pk}))
    assert Registration.objects.filter(event=event, state=State.CONFIRMED).count() == 3
    assert Registration.objects.filter(event=event, state=State.WAITING).count() == 5


def test_a_double_submit_from_two_tabs_registers_once(agenda):
    event = make_event(agenda, capacity=5)
    person = make_member("basic")
    statuses = submit_at_once([person, person], reverse("events:register", kwargs={"event_id": event.pk}))
    assert statuses == [302, 302]
    assert Registration.objects.filter(event=event, user=person).count() == 1


def test_a_cancellation_and_a_registration_at_once_keep_the_capacity(agenda):
    from events import services

    event = make_event(agenda, capacity=1)
    leaving, waiting, newcomer = make_member("basic"), make_member("basic"), make_member("basic")
    services.register(event, leaving)
    services.register(event, waiting)
    barrier = threading.Barrier(2)
    failures = []

    def act(fn, user):
        try:
            barrier.wait(timeout=30)
            fn(event, user)
        except Exception as error:  # noqa: BLE001
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(services.cancel, leaving)),
        threading.Thread(target=act, args=(services.register, newcomer)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    assert Registration.objects.filter(event=event, state=State.CONFIRMED).count() == 1
    # Whoever got the seat, the one who waited first is never overtaken by the newcomer.
    assert Registration.objects.get(event=event, user=waiting).state == State.CONFIRMED
