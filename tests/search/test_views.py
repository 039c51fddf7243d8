"""What people see of search: the results page, the header box, suggestions, the query log, the editors'
reports and promoted results. Who finds what is the leak matrix's business (test_leaks.py); here the
pages answer, keep their parameters, never fail on bad input, and record what editors need."""

import itertools
import json

import pytest
from django.utils import translation
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from members import roles
from members.access import refresh_page_audience
from members.models import Audience
from search.forms import PERIOD_LABELS
from search.models import SearchDocument, SearchFacet, UnansweredQuery
from tests.factories.home import StandardPageFactory
from tests.factories.members import make_member, make_staff

pytestmark = pytest.mark.django_db

URL = "/recherche/"
_numbers = itertools.count(1)

HOSTILE = [
    '"unbalanced',
    '"sécurité" "',
    "(brackets] [and) {more}",
    "AND OR NOT",
    "sécurité AND NOT réseau OR",
    "*",
    "sécu*",
    "~réseau~2",
    "title:sécurité",
    ":::",
    "sécurité\x00réseau",
    "\x00",
    "-- ; DROP TABLE search_searchdocument; --",
    "<script>alert(1)</script>",
    "l'",
    "   ",
    "é" * 300,
]


def document(title, *, teaser="", body="", know=Audience.PUBLIC, kind="knowledge_article", date=None, facets=()):
    """A search document made by hand: these tests are about the page, not about how things are indexed."""
    number = next(_numbers)
    row = SearchDocument.objects.create(
        key=f"viewtest:{number}",
        kind=kind,
        object_id=100000 + number,
        url=f"/viewtest/{number}/",
        title=title,
        teaser=teaser,
        body=body,
        section="knowledge",
        language="fr",
        know=know,
        read=know,
        date=date,
    )
    for facet, value, label in facets:
        SearchFacet.objects.create(document=row, facet=facet, value=value, label=label)
    return row


VIEWERS = {
    "anonymous": lambda: None,
    "basic": lambda: make_member("basic"),
    "premium": lambda: make_member("premium"),
    "expired": lambda: make_member("basic", expired=True),
    "unsigned": lambda: make_member("basic", signed=False),
    "editor": lambda: make_member("premium", roles_=[roles.TECHWATCH_EDITORS]),
    "staff": lambda: make_staff(),
}


def log_in(client, kind):
    user = VIEWERS[kind]()
    if user is not None:
        client.force_login(user)
    return user


@pytest.fixture
def corpus(home_page):
    document("Sécurité des réseaux", teaser="Guide de la sécurité", facets=[("topic", "nis2", "NIS2")])
    document("Gouvernance des données", teaser="Un guide", know=Audience.MEMBERS)
    return home_page


@pytest.mark.parametrize("kind", VIEWERS)
def test_the_page_answers_every_viewer_whatever_is_typed(client, corpus, kind):
    log_in(client, kind)
    for params in [{}, {"q": "sécurité"}, {"q": "réseaux", "sort": "date"}, *({"q": q} for q in HOSTILE)]:
        response = client.get(URL, params)
        assert response.status_code == 200, params
        assert response["X-Robots-Tag"] == "noindex"
        assert b'<meta name="robots" content="noindex">' in response.content
    response = client.get(URL, {"q": "sécurité"})
    assert "Sécurité des réseaux" in response.text
    assert 'aria-live="polite"' in response.text


def test_a_script_typed_in_the_query_comes_back_escaped(client, corpus):
    response = client.get(URL, {"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_a_very_long_query_is_cut_with_a_notice(client, corpus):
    response = client.get(URL, {"q": "sécurité " * 600})  # 5,400 characters
    assert response.status_code == 200
    assert 'data-testid="search-notice"' in response.text
    assert "Sécurité des réseaux" in response.text


def test_unknown_filters_are_dropped_and_bad_page_numbers_never_fail(client, corpus):
    bad = [
        {"kind": "nope"},
        {"section": "<b>"},
        {"period": "century"},
        {"sort": "random"},
        {"group": "not-a-number"},
        {"topic": "x" * 500},
        {"cluster": "\x00"},
        {"page": "0"},
        {"page": "-3"},
        {"page": "abc"},
        {"page": "9" * 40},
        {"page": "1e9"},
        {"page": "999999"},
    ]
    for extra in bad:
        response = client.get(URL, {"q": "sécurité", **extra})
        assert response.status_code == 200, extra
        # Dropped filters do not narrow the search: the document is still found.
        assert "Sécurité des réseaux" in response.text, extra


def test_a_page_past_the_end_shows_the_last_page(client, home_page):
    for number in range(25):
        document(f"Réseau numéro {number}")
    response = client.get(URL, {"q": "réseau", "page": "40"})
    assert response.status_code == 200
    assert '<span aria-current="page">2</span>' in response.text
    assert response.text.count('class="search-result"') == 5


def test_page_links_keep_the_query_and_the_filters(client, home_page):
    for number in range(25):
        document(f"Réseau numéro {number}", facets=[("topic", "reseaux", "Réseaux")])
    response = client.get(URL, {"q": "réseau", "topic": "reseaux", "sort": "date"})
    assert response.status_code == 200
    assert 'href="?q=r%C3%A9seau&amp;topic=reseaux&amp;sort=date&amp;page=2"' in response.text


def test_facets_count_and_link_keeping_the_other_parameters(client, corpus):
    response = client.get(URL, {"q": "sécurité", "sort": "date"})
    facets = response.text[response.text.index('data-testid="search-facets"') :]
    assert 'href="?q=s%C3%A9curit%C3%A9&amp;sort=date&amp;topic=nis2"' in facets
    assert 'NIS2 <span class="search-facet__count">(1)</span>' in facets
    chosen = client.get(URL, {"q": "sécurité", "topic": "nis2", "page": "1"}).text
    # The chosen value links back to the search without it (and without the page).
    assert 'href="?q=s%C3%A9curit%C3%A9" class="search-facet__option" aria-current="true"' in chosen


def test_period_facet_is_named_in_words(client, home_page):
    from django.utils import timezone

    document("Réseau récent", date=timezone.now())
    response = client.get(URL, {"q": "réseau"})
    period = response.text[response.text.index('data-facet="period"') :]
    assert 'href="?q=r%C3%A9seau&amp;period=week"' in period
    with translation.override("fr"):
        assert str(PERIOD_LABELS["week"]) in period  # a name, not the code "week"


def test_no_query_offers_the_sections_the_viewer_may_know_of(client, home_page):
    StandardPageFactory(parent=home_page, title="Le club", slug="le-club")
    hidden = StandardPageFactory(parent=home_page, title="Coulisses du comité", slug="coulisses", audience="members")
    refresh_page_audience(hidden)
    response = client.get(URL)
    assert 'data-testid="search-start"' in response.text
    assert "Le club" in response.text
    assert "Coulisses du comité" not in response.text


def test_no_result_gives_a_spelling_hint_and_a_correction_from_known_titles(client, corpus):
    response = client.get(URL, {"q": "gouvernanse"})
    assert 'data-testid="search-empty"' in response.text
    assert 'data-testid="spelling-hint"' in response.text
    # "Gouvernance des données" is for members: a visitor is not offered its words.
    assert 'data-testid="did-you-mean"' not in response.text
    # A misspelling no engine's stemming forgives ("securiter" is "sécurité" to PostgreSQL's French stemmer).
    response = client.get(URL, {"q": "secorité"})
    assert 'data-testid="did-you-mean"' in response.text
    assert "sécurité" in response.text


def test_the_english_address_answers_in_english(client, corpus):
    response = client.get("/en" + URL, {"q": "sécurité"})
    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    assert "Sécurité des réseaux" in response.text


def test_every_page_has_the_header_search_box(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    header = response.text[response.text.index('data-testid="header-search"') - 200 :]
    assert 'role="search"' in header
    assert 'action="/recherche/"' in header
    assert '<label for="site-search-q"' in header
    assert 'type="submit"' in header
    assert "search/suggest.js" in response.text


def test_suggestions_are_json_titles_and_addresses(client, corpus):
    response = client.get(URL + "suggestions/", {"q": "sécu"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "private" in response["Cache-Control"]
    data = json.loads(response.content)
    assert {"title": "Sécurité des réseaux", "url": data["suggestions"][0]["url"]}.items() <= data["suggestions"][
        0
    ].items()
    assert data["suggestions"][0]["url"].startswith("/viewtest/")
    for q in ["", "a", "\x00\x00", '"(', "x" * 6000]:
        assert client.get(URL + "suggestions/", {"q": q}).status_code == 200
    assert json.loads(client.get(URL + "suggestions/", {"q": "gouv"}).content)["suggestions"] == []


def test_a_search_with_results_is_counted_in_wagtails_query_log(client, corpus):
    client.get(URL, {"q": "Sécurité"})
    client.get(URL, {"q": "sécurité "})
    assert Query.objects.get(query_string="sécurité").hits == 2
    # Another page, a filter: the same search again, not counted.
    client.get(URL, {"q": "sécurité", "page": "2"})
    client.get(URL, {"q": "sécurité", "topic": "nis2"})
    assert Query.objects.get(query_string="sécurité").hits == 2
    assert not UnansweredQuery.objects.exists()


def test_a_search_without_results_is_counted_for_the_editors(client, corpus):
    client.get(URL, {"q": "blockchain quantique"})
    client.get(URL, {"q": "Blockchain  quantique"})
    assert UnansweredQuery.objects.get(query_string="blockchain quantique").hits == 2
    assert not Query.objects.filter(query_string="blockchain quantique", daily_hits__isnull=False).exists()
    client.get(URL)  # no query: nothing to record
    assert UnansweredQuery.objects.count() == 1


REPORTS = ["/admin/reports/searches/", "/admin/reports/searches-without-results/"]


@pytest.mark.parametrize("kind", ["staff", "editor"])
def test_staff_and_watch_editors_see_the_search_reports(client, corpus, kind):
    log_in(client, kind)
    client.get(URL, {"q": "sécurité"})
    client.get(URL, {"q": "introuvable"})
    top = client.get(REPORTS[0])
    assert top.status_code == 200
    assert "sécurité" in top.text
    unanswered = client.get(REPORTS[1])
    assert unanswered.status_code == 200
    assert "introuvable" in unanswered.text
    menu = client.get("/admin/").text
    assert "/admin/reports/searches/" in menu


@pytest.mark.parametrize("kind", ["basic", "premium", "anonymous"])
def test_members_do_not_see_the_search_reports(client, corpus, kind):
    log_in(client, kind)
    UnansweredQuery.objects.create(query_string="secret des éditeurs", hits=3)
    for report in REPORTS:
        response = client.get(report)
        assert response.status_code in (302, 403), report
        assert "secret des éditeurs" not in response.text


def test_a_group_lead_without_the_editor_role_does_not_see_the_reports(client, corpus):
    lead = make_member("premium", roles_=[roles.GROUP_LEADS])
    client.force_login(lead)
    response = client.get(REPORTS[1])
    assert response.status_code in (302, 403)


@pytest.fixture
def promoted(corpus):
    members_page = StandardPageFactory(
        parent=corpus, title="Annuaire des experts NIS2", slug="experts", audience="members"
    )
    refresh_page_audience(members_page)
    query = Query.get("sécurité")
    SearchPromotion.objects.create(query=query, page=members_page, description="Les experts du club", sort_order=0)
    SearchPromotion.objects.create(
        query=query, external_link_url="https://ccb.belgium.be/", external_link_text="Centre pour la cybersécurité"
    )
    return members_page


def test_a_promoted_page_is_shown_first_to_those_who_may_know_it(client, promoted):
    client.force_login(make_member("basic"))
    text = client.get(URL, {"q": "sécurité"}).text
    assert 'data-testid="search-promotions"' in text
    assert text.index("Annuaire des experts NIS2") < text.index("Sécurité des réseaux")
    assert "Centre pour la cybersécurité" in text


def test_a_promoted_page_is_hidden_from_a_viewer_who_may_not_know_it(client, promoted):
    text = client.get(URL, {"q": "sécurité"}).text
    assert "Annuaire des experts NIS2" not in text
    assert "Les experts du club" not in text
    assert "Centre pour la cybersécurité" in text  # an external link names no page of the club


def test_members_see_the_people_block_and_visitors_never(client, home_page):
    document("Marie Dupont", teaser="Experte en cybersécurité", kind="person", know=Audience.MEMBERS)
    document("Cybersécurité des PME")
    client.force_login(make_member("basic"))
    response = client.get(URL, {"q": "cybersécurité"})
    assert 'data-testid="search-people"' in response.text
    # Like the directory, a page naming members is kept out of every cache.
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    suggestions = client.get(URL + "suggestions/", {"q": "cyber"})
    assert {"private", "no-store"} <= {part.strip() for part in suggestions["Cache-Control"].split(",")}
    client.logout()
    text = client.get(URL, {"q": "cybersécurité"}).text
    assert 'data-testid="search-people"' not in text
    assert "Marie Dupont" not in text


def test_a_teaser_result_carries_the_excerpt_badge(client, home_page):
    row = document("Veille premium sur le cloud souverain", know=Audience.MEMBERS)
    SearchDocument.objects.filter(pk=row.pk).update(read=Audience.PREMIUM)
    client.force_login(make_member("basic"))
    text = client.get(URL, {"q": "cloud souverain"}).text
    assert "Veille premium sur le cloud souverain" in text
    assert 'data-testid="teaser-badge"' in text
    client.force_login(make_member("premium"))
    assert 'data-testid="teaser-badge"' not in client.get(URL, {"q": "cloud souverain"}).text


def test_a_visitor_does_not_find_a_members_document(client, corpus):
    response = client.get(URL, {"q": "gouvernance"})
    assert response.status_code == 200
    assert "Gouvernance des données" not in response.text
