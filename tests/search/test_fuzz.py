"""Whatever a person types, search answers: never an exception from an engine, never a 5xx from a page.

Hypothesis writes the query strings: any text (control characters, NUL, quotes, brackets, operators of
every engine's syntax, very long), and the other parameters of the results page as a person could
change them in the address.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from members.models import Audience
from search.engines.base import SearchRequest
from search.query import parse
from tests.factories.search import days_ago, make_document, viewer

# Bits of every engine's query syntax (FTS5, tsquery, Lucene's query string) and French words that match.
SYNTAX = [
    '"',
    "'",
    "’",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "*",
    "~",
    ":",
    "^",
    "-",
    "+",
    "!",
    "&",
    "|",
    "\\",
    "/",
    "<",
    ">",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "&&",
    "||",
    "NEAR(",
    "title:",
    "body:",
    "{title}:",
    "@@",
    "%",
    "_",
    ";",
    "--",
    "\x00",
    "\t",
    "\n",
    "\u200b",
    "\ufeff",
    "é",
    "l'",
    "d’",
    "sécurité",
    "réseaux",
    "entreprise",
    "cloud",
]
queries = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(SYNTAX) | st.text(max_size=12), max_size=30).map(" ".join),
    st.lists(st.sampled_from(SYNTAX), max_size=40).map("".join),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=4000, max_size=6000),
)
FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def corpus(db):
    make_document("Sécurité des réseaux d'entreprise", body="Le pare-feu « cloud » (v2) : 100 % sûr", date=days_ago(2))
    make_document(
        "Veille : l'entreprise et le cloud",
        teaser="Résumé",
        body="sécurité réservée",
        kind="watch_article",
        know=Audience.MEMBERS,
        read=Audience.PREMIUM,
        facets=[("topic", "cloud", "Cloud")],
    )
    make_document("Réunion du groupe", body="réseaux", know=Audience.GROUP, group_id=1)


@pytest.fixture
def synced(corpus, engine):
    """The engine in step with the corpus, once for all the examples of a test (tests/search/conftest.py)."""
    engine.sync()
    return engine


@FUZZ
@given(text=queries)
def test_an_engine_answers_any_query(synced, text):
    anyone = viewer()
    results = synced.search(SearchRequest(query=parse(text), viewer=anyone))
    assert results.total >= len(results.hits)
    assert isinstance(synced.autocomplete(text, anyone), list)


@FUZZ
@given(
    text=queries,
    page=st.one_of(st.none(), st.integers(), st.text(max_size=12)),
    sort=st.one_of(st.none(), st.sampled_from(["relevance", "date", "DATE", "x"]), st.text(max_size=8)),
    kind=st.one_of(st.none(), st.text(max_size=50)),
    period=st.one_of(st.none(), st.sampled_from(["week", "month", "year"]), st.text(max_size=8)),
    group=st.one_of(st.none(), st.integers(), st.text(max_size=30)),
)
def test_the_results_page_never_fails(corpus, client, text, page, sort, kind, period, group):
    params = {"q": text, "page": page, "sort": sort, "kind": kind, "period": period, "group": group}
    response = client.get("/recherche/", {key: value for key, value in params.items() if value is not None})
    assert response.status_code == 200


@FUZZ
@given(text=queries)
def test_suggestions_never_fail(corpus, client, text):
    response = client.get("/recherche/suggestions/", {"q": text})
    assert response.status_code == 200
    assert isinstance(response.json()["suggestions"], list)


@FUZZ
@given(text=queries)
def test_the_results_page_answers_a_member_too(corpus, client, member, text):
    response = client.get("/en/recherche/", {"q": text})
    assert response.status_code == 200


@pytest.fixture
def member(db, client):
    from tests.factories.members import make_member

    user = make_member("premium")
    client.force_login(user)
    return user
