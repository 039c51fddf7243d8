"""Registrations in "Mes données"; anonymisation keeps them (they hold no free text)."""

from events import services
from events.models import Registration
from members.personal_data import registered_parts
from tests.factories.events import make_event
from tests.factories.members import make_member


def part():
    return next(p for p in registered_parts() if p.name == "event_registrations")


def test_a_member_s_registrations_are_exported(agenda):
    member = make_member("basic")
    kept, dropped = make_event(agenda, title="Gardé"), make_event(agenda, title="Annulé")
    services.register(kept, member)
    services.register(dropped, member)
    services.cancel(dropped, member)
    services.register(make_event(agenda), make_member("basic"))  # someone else's
    rows = part().export(member)
    assert [(row["event"], row["state"]) for row in rows] == [("Gardé", "confirmed"), ("Annulé", "cancelled")]
    assert rows[1]["cancelled_at"] is not None and rows[0]["starts_at"] == kept.starts_at
    assert set(rows[0]) == {"event", "starts_at", "state", "registered_at", "confirmed_at", "cancelled_at"}


def test_anonymisation_keeps_the_registrations(agenda):
    member = make_member("basic")
    services.register(make_event(agenda), member)
    part().anonymise(member)
    assert Registration.objects.filter(user=member).count() == 1
