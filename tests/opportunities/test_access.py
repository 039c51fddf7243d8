"""Who sees what of the business-opportunity programme: every kind of viewer against an opportunity's page,
the index, the search, the dashboard panel and the attachments.

The details, the budget and the contact carry marker strings; wherever a viewer may not read an opportunity
in full, the markers must be absent from what is sent, whatever the status code.
"""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from opportunities import services
from tests.factories.opportunities import BODY_MARKER, BUDGET_MARKER, CONTACT_MARKER, SUMMARY_MARKER, make_opportunity
from tests.opportunities.conftest import login

pytestmark = pytest.mark.django_db

FULL, TEASER, LOGIN, CHARTER, FORBIDDEN = "full", "teaser", "login", "charter", "forbidden"
PREMIUM_PARTS = (BODY_MARKER, BUDGET_MARKER, CONTACT_MARKER)

# DESIGN.md: every member knows an opportunity exists (its teaser and an invitation to upgrade); premium
# members and staff read it. Leading a group or editing the technology watch opens nothing here.
EXPECTED = {
    "anonymous": LOGIN,
    "basic": TEASER,
    "premium": FULL,
    "expired": FORBIDDEN,  # a visitor again, with the renewal notice
    "unsigned": CHARTER,
    "group_member": TEASER,
    "outsider": TEASER,
    "lead": TEASER,  # a group lead who is a basic member
    "editor": TEASER,  # the watch's editor, basic tier: their reach stops at the watch
    "staff": FULL,
}
KNOWS = {kind for kind, outcome in EXPECTED.items() if outcome in (FULL, TEASER)}


def assert_no_premium_part(html):
    for marker in PREMIUM_PARTS:
        assert marker not in html, marker


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_the_opportunity_page_gives_each_viewer_what_the_policy_says(client, opportunities_index, people, kind):
    opportunity = make_opportunity(opportunities_index)
    response = login(client, people[kind]).get(opportunity.url)
    html = response.content.decode()
    expected = EXPECTED[kind]
    if expected in (FULL, TEASER):
        assert response.status_code == 200
        assert SUMMARY_MARKER in html and opportunity.issuer in html
    if expected == FULL:
        for marker in PREMIUM_PARTS:
            assert marker in html
        assert 'data-testid="upgrade-box"' not in html
        assert 'data-testid="interest-form"' in html
    else:
        assert_no_premium_part(html)
        assert 'data-testid="interest-form"' not in html
    if expected == TEASER:
        assert 'data-testid="upgrade-box"' in html and 'data-testid="upgrade-link"' in html
    if expected == LOGIN:
        assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
    if expected == CHARTER:
        assert response.status_code == 302 and "/charte/" in response["Location"]
    if expected == FORBIDDEN:
        assert response.status_code == 403
        assert 'data-testid="renew-link"' in html


def test_opportunities_are_never_cached(client, opportunities_index, people):
    opportunity = make_opportunity(opportunities_index)
    login(client, people["basic"])
    assert "no-cache" in client.get(opportunity.url)["Cache-Control"]
    assert "no-cache" in client.get(opportunities_index.url)["Cache-Control"]


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_the_index_lists_teasers_to_every_member_and_never_a_premium_part(client, opportunities_index, people, kind):
    opportunity = make_opportunity(opportunities_index, title="Appel MecaTech de test")
    response = login(client, people[kind]).get(opportunities_index.url)
    html = response.content.decode()
    assert_no_premium_part(html)
    if kind in KNOWS:
        assert response.status_code == 200
        assert f'data-testid="opportunity-{opportunity.pk}"' in html and SUMMARY_MARKER in html
        reads = EXPECTED[kind] == FULL
        card = html.split(f'data-testid="opportunity-{opportunity.pk}"')[1].split("</li>")[0]
        assert ("Premium" in card) == (not reads)
        assert ('data-testid="upgrade-notice"' in html) == (not reads)
    elif EXPECTED[kind] == LOGIN:
        assert response.status_code == 302
    elif EXPECTED[kind] == FORBIDDEN:
        assert response.status_code == 403
    else:
        assert response.status_code == 302 and "/charte/" in response["Location"]


# --- Search: a word of the teaser finds it for whoever may know it; a word only in the body, only for
# whoever may read it; and no snippet shows what the viewer may not read.

TEASER_WORD = "tournesol"
BODY_WORD = "zeppelin"


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_search_finds_the_teaser_for_members_and_the_body_only_for_premium(client, opportunities_index, people, kind):
    opportunity = make_opportunity(
        opportunities_index,
        title=f"Appel {TEASER_WORD}",
        summary="Un appel pour les membres.",
        body=f"<p>Le détail parle de {BODY_WORD}.</p>",
    )
    login(client, people[kind])

    def found(word):
        response = client.get("/recherche/", {"q": word})
        assert response.status_code == 200
        answer = response.context["answer"]
        return response.content.decode(), {hit.document.key for hit in answer.results.hits}

    html, keys = found(TEASER_WORD)
    assert (f"page:{opportunity.pk}" in keys) == (kind in KNOWS)
    if EXPECTED[kind] != FULL:
        assert BODY_WORD not in html  # no snippet of the body beside the teaser
    html, keys = found(BODY_WORD)
    assert (f"page:{opportunity.pk}" in keys) == (EXPECTED[kind] == FULL)


def test_the_search_document_holds_the_teaser_and_the_premium_part_apart(opportunities_index, groups_index):
    from search.models import SearchDocument
    from tests.factories.working_groups import make_group

    cluster = make_group(groups_index, kind="cluster", visibility="premium", title="Grappe Web", slug="web")
    opportunity = make_opportunity(opportunities_index, sectors=["Santé"], clusters=[cluster], issuer="Pôle BioWin")
    document = SearchDocument.objects.get(key=f"page:{opportunity.pk}")
    assert (document.kind, document.section, document.know, document.read) == (
        "opportunity",
        "opportunities",
        "members",
        "premium",
    )
    assert SUMMARY_MARKER in document.teaser and "Pôle BioWin" in document.teaser and "Santé" in document.teaser
    assert BODY_MARKER in document.body and BUDGET_MARKER in document.body
    assert BODY_MARKER not in document.teaser
    facets = set(document.facets.values_list("facet", "label"))
    assert ("cluster", "Grappe Web") in facets and ("topic", "Santé") in facets


# --- Attachments: documents of the programme's premium collection, served through the policy.

ATTACHMENT_EXPECTED = {
    "anonymous": 302,
    "basic": 403,
    "premium": 200,
    "expired": 403,
    "unsigned": 302,
    "group_member": 403,
    "outsider": 403,
    "lead": 403,
    "editor": 403,
    "staff": 200,
}


@pytest.fixture
def attachment(opportunities_index):
    """A document in the programme's collection (premium, made with the index), attached to an opportunity."""
    collection = services.ensure_collection()
    document = get_document_model().objects.create(
        title="Cahier des charges",
        collection=collection,
        file=ContentFile(b"%PDF-1.4 CONTENU-CAHIER-PREMIUM", name="cahier.pdf"),
    )
    opportunity = make_opportunity(opportunities_index, attachments=[("document", document)])
    return opportunity, document


def test_the_index_gives_the_programme_its_premium_collection(opportunities_index):
    from members.access import collection_audience

    collection = services.ensure_collection()
    assert collection.name == services.COLLECTION_NAME
    assert collection_audience(collection.pk) == ("premium", None)


@pytest.mark.parametrize("kind", list(ATTACHMENT_EXPECTED))
def test_attachments_are_served_only_to_those_who_read_the_opportunity(client, attachment, people, kind):
    opportunity, document = attachment
    response = login(client, people[kind]).get(document.url)
    assert response.status_code == ATTACHMENT_EXPECTED[kind]
    if response.status_code != 200:
        assert b"CONTENU-CAHIER-PREMIUM" not in b"".join(getattr(response, "streaming_content", [response.content]))
    page_html = client.get(opportunity.url).content.decode()
    assert (document.url in page_html) == (EXPECTED[kind] == FULL)


# --- The dashboard panel.


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_the_dashboard_panel_follows_the_policy(client, opportunities_index, people, kind):
    from tests.factories.opportunities import days_from_today

    closing = make_opportunity(opportunities_index, title="Se clôture bientôt", deadline=days_from_today(2))
    response = login(client, people[kind]).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert_no_premium_part(html)
    has_panel = 'data-testid="panel-opportunities"' in html
    assert has_panel == (kind in KNOWS)
    if not has_panel:
        assert closing.title not in html
        return
    if EXPECTED[kind] == FULL:
        assert f'data-testid="closing-{closing.pk}"' in html
        assert 'data-testid="panel-upgrade-link"' not in html
    else:
        assert f'data-testid="teaser-{closing.pk}"' in html
        assert 'data-testid="panel-upgrade-link"' in html
