"""The demo's business-opportunity programme, loaded once for the module (tests here only read it)."""

import pytest
from django.utils import timezone

from opportunities import demo, services
from opportunities.models import Interest, OpportunityIndexPage, OpportunityPage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media():
    """The demo's documents stay in the folder it wrote them to (tests/conftest.py's shared_demo)."""


class Context:
    """What load_demo gives each loader, enough to run this one again."""

    def __init__(self):
        self.lines = []

    def created(self, what):
        self.lines.append(("created", what))

    def kept(self, what):
        self.lines.append(("kept", what))


def test_the_demo_builds_the_programme_around_today(shared_demo):
    index = OpportunityIndexPage.objects.get()
    assert index.title == "Opportunités d'affaires" and index.show_in_menus and index.live
    assert index.get_parent().specific_class.__name__ == "HomePage"

    opportunities = list(OpportunityPage.objects.live().child_of(index))
    assert len(opportunities) == 8
    today = timezone.localdate()
    states = [opportunity.state(today) for opportunity in opportunities]
    assert states.count(OpportunityPage.State.CLOSED) == 1
    this_week = [o for o in opportunities if o.deadline and 0 <= (o.deadline - today).days < 7]
    assert len(this_week) == 2
    assert all(o.state(today) == OpportunityPage.State.CLOSING_SOON for o in this_week)
    kinds = {opportunity.kind for opportunity in opportunities}
    assert kinds == set(OpportunityPage.Kind.values)
    assert {"Pôle MecaTech", "Pôle BioWin"} <= {opportunity.issuer for opportunity in opportunities}
    assert sum(1 for opportunity in opportunities if opportunity.clusters.exists()) == 7


def test_the_demo_attachment_lives_in_the_premium_collection(shared_demo, client):
    from members.access import collection_audience

    attached = [o for o in OpportunityPage.objects.live() if o.attachments]
    assert len(attached) == 1
    document = attached[0].attachments[0].value
    assert document.collection.name == services.COLLECTION_NAME
    assert collection_audience(document.collection_id)[0] == "premium"
    client.force_login(shared_demo["basic"])
    assert client.get(document.url).status_code == 403
    client.force_login(shared_demo["premium"])
    assert client.get(document.url).status_code == 200


def test_the_demo_premium_member_has_an_interest_and_sees_it(shared_demo, client):
    premium = shared_demo["premium"]
    interest = Interest.objects.get(user=premium)
    client.force_login(premium)
    html = client.get("/").content.decode()
    assert f'data-testid="my-interest-{interest.opportunity_id}"' in html
    assert premium.profile.cluster_interests.exists()  # alerts will reach them for new opportunities


def test_the_demo_pages_answer_every_demo_account(shared_demo, client):
    index = OpportunityIndexPage.objects.get()
    page = OpportunityPage.objects.live().first()
    for username in ("admin", "premium", "basic", "lead", "editor"):
        client.force_login(shared_demo[username])
        assert client.get(index.url).status_code == 200, username
        assert client.get(page.url).status_code == 200, username
    client.force_login(shared_demo["expired"])
    assert client.get(index.url).status_code == 403


def test_a_second_run_adds_nothing(shared_demo, mailoutbox):
    before = (OpportunityPage.objects.count(), Interest.objects.count())
    context = Context()
    demo.load(context)
    assert (OpportunityPage.objects.count(), Interest.objects.count()) == before
    assert not [line for kind, line in context.lines if kind == "created"]
    assert mailoutbox == []
