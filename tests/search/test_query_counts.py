"""A results page costs the same number of SQL queries whatever the number of matches, facets and
people: the engines count and page inside the database, never one query per hit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Audience
from tests.factories.members import make_member
from tests.factories.search import days_ago, make_document

pytestmark = pytest.mark.django_db

URL = "/recherche/"


def documents(count, start=0):
    for number in range(start, start + count):
        make_document(
            f"Sécurité des réseaux, fiche {number}",
            teaser="Un résumé pour les membres",
            body="Le détail réservé aux lecteurs",
            know=Audience.MEMBERS,
            read=Audience.PREMIUM if number % 2 else Audience.MEMBERS,
            date=days_ago(number),
            facets=[("topic", f"sujet-{number % 7}", f"Sujet {number % 7}"), ("cluster", str(number % 3), "Grappe")],
        )
    make_document(f"Jeanne Sécurité {start}", kind="person", section="people", know=Audience.MEMBERS)


def queries(client, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, {"q": "sécurité", **params})
    assert response.status_code == 200
    return len(captured.captured_queries), response


@pytest.mark.parametrize("params", [{}, {"sort": "date"}, {"topic": "sujet-1"}, {"page": "2"}])
def test_a_results_page_costs_the_same_queries_for_25_or_80_matches(client, params):
    member = make_member("basic")
    client.force_login(member)
    documents(25)
    for _warm_up in range(2):  # the first requests fill the per-process caches (site, locales, settings)
        queries(client, **params)
    small, response = queries(client, **params)
    documents(55, start=25)
    large, response = queries(client, **params)
    assert large == small, f"{small} queries for 25 matches, {large} for 80"
    assert response.context["answer"].results.total >= (12 if params.get("topic") else 21)


def test_suggestions_cost_the_same_queries_for_5_or_60_titles(client):
    member = make_member("basic")
    client.force_login(member)
    documents(5)
    for _warm_up in range(2):
        client.get("/recherche/suggestions/", {"q": "sécu"})
    with CaptureQueriesContext(connection) as small:
        client.get("/recherche/suggestions/", {"q": "sécu"})
    documents(55, start=5)
    with CaptureQueriesContext(connection) as large:
        client.get("/recherche/suggestions/", {"q": "sécu"})
    assert len(large.captured_queries) == len(small.captured_queries)
