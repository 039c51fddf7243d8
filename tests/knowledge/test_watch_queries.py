"""The watch's index and an article cost a fixed number of SQL queries, however many articles, topics
and clusters there are (DESIGN.md, performance targets; no timing in tests)."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members import roles
from tests.factories.knowledge import make_article
from tests.factories.members import make_member, make_staff
from tests.factories.working_groups import make_group

pytestmark = pytest.mark.django_db

# Measured on Wagtail 8.0.1 / SQLite, second request of a session, as the group pages' pins are, with the page
# cache off (tests/conftest.py). Of these, 1 is the Viewer (the user with profile and charter state; the rest
# of the entitlements come from the session, members/entitlements.py), ~5 the site and routing; the watch's
# own lists cost the rest. Editors and staff pay Wagtail's user bar (3, home/userbar.py) on top.
# The index pays one query for the clusters on its cards (those the viewer may know), whatever their number.
# Measured; the active locale Wagtail looks up to route a page comes from home.i18n's map, not a query.
INDEX_BUDGET = {"anonymous": 12, "basic": 14, "premium": 14, "editor": 16, "staff": 16}
ARTICLE_BUDGET = {"anonymous": 9, "basic": 11, "premium": 11, "editor": 13, "staff": 13}

_counter = itertools.count()


@pytest.fixture
def people():
    return {
        "anonymous": None,
        "basic": make_member("basic"),
        "premium": make_member("premium"),
        "editor": make_member("basic", roles_=[roles.TECHWATCH_EDITORS]),
        "staff": make_staff(),
    }


def queries_for(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    for _warm_up in range(2):  # the session, the site's root paths, the menu and footer caches
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def grow(index, clusters, count):
    """Articles of every audience, some featured, each with topics and clusters."""
    audiences = itertools.cycle(["premium", "public", "members", "public", "premium"])
    for position in range(count):
        n = next(_counter)
        make_article(
            index,
            audience=next(audiences),
            featured=position % 5 in (0, 3),  # a premium and a public one in every batch
            topics=[f"sujet-{n % 7}", f"thème-{n % 3}"],
            clusters=clusters[: 1 + n % 2],
        )


@pytest.fixture
def clusters(groups_index):
    return [make_group(groups_index, kind="cluster", visibility="premium") for _ in range(3)]


@pytest.mark.parametrize("kind", list(INDEX_BUDGET))
def test_the_index_costs_the_same_with_5_or_30_articles(client, watch_index, clusters, people, kind):
    grow(watch_index, clusters, 5)
    few = queries_for(client, people[kind], watch_index.url)
    grow(watch_index, clusters, 25)
    many = queries_for(client, people[kind], watch_index.url)
    assert many == few
    assert few == INDEX_BUDGET[kind]


@pytest.mark.parametrize("kind", list(ARTICLE_BUDGET))
def test_an_article_costs_the_same_with_more_topics_and_neighbours(client, watch_index, clusters, people, kind):
    article = make_article(watch_index, audience="public", topics=["cloud", "IA"], clusters=clusters[:1])
    grow(watch_index, clusters, 3)
    few = queries_for(client, people[kind], article.url)
    article.topics.add("sujet-1", "sujet-2", "thème-0", "thème-1")
    article.clusters.set(clusters)
    article.save_revision().publish()
    grow(watch_index, clusters, 15)
    many = queries_for(client, people[kind], article.url)
    assert many == few
    assert few == ARTICLE_BUDGET[kind]
