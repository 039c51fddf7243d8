"""What the opportunities hold about a person, for "Mes données" and for anonymisation."""

import pytest

from members.personal_data import registered_parts
from opportunities.models import AlertSent, Interest
from tests.factories.members import make_member
from tests.factories.opportunities import make_opportunity

pytestmark = pytest.mark.django_db


def part(name):
    return next(p for p in registered_parts() if p.name == name)


def test_interests_and_alerts_are_registered():
    names = {p.name for p in registered_parts()}
    assert {"opportunity_interests", "opportunity_alerts"} <= names


def test_the_export_lists_the_persons_interests_only(opportunities_index):
    member, other = make_member("premium"), make_member("premium")
    opportunity = make_opportunity(opportunities_index, title="Appel exporté")
    Interest.objects.create(opportunity=opportunity, user=member, message="Mon message")
    Interest.objects.create(opportunity=opportunity, user=other, message="Le message d'un autre")
    AlertSent.objects.create(opportunity=opportunity, user=member)

    rows = part("opportunity_interests").export(member)
    assert len(rows) == 1
    assert rows[0]["opportunity"] == "Appel exporté" and rows[0]["message"] == "Mon message"
    assert [row["opportunity"] for row in part("opportunity_alerts").export(member)] == ["Appel exporté"]


def test_anonymising_erases_the_message_and_keeps_the_interest(opportunities_index):
    member, other = make_member("premium"), make_member("premium")
    opportunity = make_opportunity(opportunities_index)
    Interest.objects.create(opportunity=opportunity, user=member, message="Je travaille chez X")
    Interest.objects.create(opportunity=opportunity, user=other, message="Intact")

    part("opportunity_interests").anonymise(member)

    assert Interest.objects.get(user=member).message == ""
    assert Interest.objects.get(user=other).message == "Intact"
    assert opportunity.interests.count() == 2
