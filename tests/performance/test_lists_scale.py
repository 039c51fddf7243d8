"""Lists that stay fast as the club grows (issue 13): each list costs the same SQL queries at a size N and at
about 3N, and shows a bounded number of rows (paginated, or a few with a link to the rest).

The time itself is measured by the benchmark at the club's scale, never here (no timed assertions); these
pins catch what makes time grow with the data: a query per row, or a list that shows everything."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members import services as member_services
from members.models import Profile
from tests.factories.knowledge import (
    KnowledgeArticlePageFactory,
    KnowledgeCategoryPageFactory,
    KnowledgeIndexPageFactory,
    TechWatchIndexPageFactory,
    make_article,
)
from tests.factories.members import make_member
from tests.factories.working_groups import GroupMembershipFactory, MeetingNotePageFactory, make_group

pytestmark = pytest.mark.django_db

_counter = itertools.count()


@pytest.fixture(autouse=True)
def _lists_not_pages(settings):
    """The lists themselves are measured: a page kept whole by the page cache (members/page_cache.py) would
    hide what they cost."""
    settings.CERCLE_PAGE_CACHE_SECONDS = 0


def captured(client, user, url):
    """The queries of a third request (the first two warm the session and the site's caches), and its page."""
    client.logout()
    if user is not None:
        client.force_login(user)
    for _warming in range(2):
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries], response.content.decode()


def same_queries_at_n_and_3n(client, user, url, grow):
    """Measure at size N, grow to about 3N with `grow()`, measure again: the count must not move."""
    small, _html = captured(client, user, url)
    grow()
    large, html = captured(client, user, url)
    assert len(large) == len(small), difference(small, large)
    return large, html


def difference(small, large):
    """What one measurement ran that the other did not (numbers blanked), to say which list grew."""
    import re

    def shapes(queries):
        return [re.sub(r"\d+", "N", sql)[:300] for sql in queries]

    only_small = [sql for sql in shapes(small) if sql not in shapes(large)]
    only_large = [sql for sql in shapes(large) if sql not in shapes(small)]
    return f"{len(small)} queries at N, {len(large)} at 3N; only at N: {only_small}; only at 3N: {only_large}"


# --- The working-group index -------------------------------------------------------------------------------


def add_groups(index, count, member):
    kinds = itertools.cycle([("members", "thematic"), ("premium", "cluster"), ("private", "thematic")])
    for _ in range(count):
        visibility, kind = next(kinds)
        group = make_group(index, visibility=visibility, kind=kind, leads=[make_member("premium")], members=[member])
        GroupMembershipFactory(group=group, user=make_member("basic"))
        MeetingNotePageFactory(parent=group)


def test_the_group_index_costs_the_same_with_3_or_12_groups_and_shows_one_page(client, groups_index, monkeypatch):
    monkeypatch.setattr("working_groups.listing.GROUPS_PER_PAGE", 5)
    member = make_member("premium")
    add_groups(groups_index, 3, member)

    queries, html = same_queries_at_n_and_3n(
        client, member, groups_index.url, lambda: add_groups(groups_index, 9, member)
    )

    assert html.count('class="card group-card"') == 5
    assert 'data-testid="pagination"' in html
    # The last activity and the member count are read with the groups, not computed from the notes.
    assert not any("wagtailcore_page" in sql and "MAX(" in sql.upper() for sql in queries)


def test_my_groups_only_on_request(client, groups_index):
    member = make_member("premium")
    mine = make_group(groups_index, title="Atelier à moi", members=[member])
    make_group(groups_index, title="Atelier des autres", members=[make_member()])
    client.force_login(member)

    html = client.get(f"{groups_index.url}?mes-groupes=1").content.decode()

    assert mine.title in html and "Atelier des autres" not in html


# --- The watch -----------------------------------------------------------------------------------------------


@pytest.fixture
def watch(home_page):
    return TechWatchIndexPageFactory(parent=home_page)


@pytest.fixture
def clusters(groups_index):
    return [make_group(groups_index, kind="cluster", visibility="premium", title=f"Grappe {n}") for n in range(2)]


def add_articles(watch, count, clusters):
    for n in range(count):
        make_article(
            watch,
            audience=["premium", "members", "public"][n % 3],
            featured=n % 7 == 0,
            topics=[f"sujet-{n % 4}", "cloud"],
            clusters=[clusters[n % 2]],
        )


def body_read(queries):
    """Whether a query read the articles' bodies (a list shows titles and summaries only)."""
    return any('"knowledge_techwatcharticlepage"."body"' in sql for sql in queries)


@pytest.mark.parametrize("viewer", ["premium", "basic", "visitor"])
@pytest.mark.parametrize("query", ["", "?sujet=cloud", "?page=2"])
def test_the_watch_index_costs_the_same_with_5_or_20_articles(client, watch, clusters, monkeypatch, viewer, query):
    monkeypatch.setattr("knowledge.listing.PAGE_SIZE", 4)
    user = None if viewer == "visitor" else make_member(viewer)
    add_articles(watch, 5 if query != "?page=2" else 9, clusters)

    queries, html = same_queries_at_n_and_3n(client, user, watch.url + query, lambda: add_articles(watch, 15, clusters))

    assert html.count('class="card watch-card') <= 4 + 3  # a page, and the featured items on the first
    assert not body_read(queries)


def test_the_watch_feeds_cost_the_same_with_5_or_20_articles(client, watch, clusters):
    member = make_member("premium")
    add_articles(watch, 5, clusters)
    for url in (
        reverse("knowledge:public_feed"),
        reverse("knowledge:member_feed", args=[member_services.feed_token_for(member)]),
    ):
        same_queries_at_n_and_3n(client, None, url, lambda: add_articles(watch, 15, clusters))


def test_related_watch_articles_cost_the_same_with_5_or_20_sharing_a_topic(client, watch, clusters):
    member = make_member("premium")
    article = make_article(watch, topics=["cloud"], clusters=[clusters[0]])
    add_articles(watch, 5, clusters)

    queries, html = same_queries_at_n_and_3n(client, member, article.url, lambda: add_articles(watch, 15, clusters))

    assert html.split('id="related-title"')[1].split("</section>")[0].count("<li>") == 3


def test_related_guides_cost_the_same_with_5_or_20_sharing_a_topic(client, home_page):
    category = KnowledgeCategoryPageFactory(parent=KnowledgeIndexPageFactory(parent=home_page))

    def add_guides(count):
        for _ in range(count):
            guide = KnowledgeArticlePageFactory(parent=category)
            guide.topics.add("achats")
            guide.save()

    guide = KnowledgeArticlePageFactory(parent=category)
    guide.topics.add("achats")
    guide.save()
    add_guides(5)
    same_queries_at_n_and_3n(client, make_member("basic"), guide.url, lambda: add_guides(15))


# --- The dashboard -------------------------------------------------------------------------------------------


def test_the_dashboard_costs_the_same_with_3_or_12_groups_and_5_or_20_articles(
    client, watch, clusters, groups_index, monkeypatch
):
    # Both sizes hold more groups than the panel shows: the link to all of them (one query for the index's
    # address) is paid at both, so that the counts compare the lists alone.
    monkeypatch.setattr("working_groups.dashboard.GROUPS_SHOWN", 2)
    member = make_member("premium")

    def grow(groups, articles):
        add_groups(groups_index, groups, member)
        add_articles(watch, articles, clusters)

    grow(3, 5)
    _queries, html = same_queries_at_n_and_3n(client, member, "/", lambda: grow(9, 15))

    my_groups = html.split('data-testid="panel-my-groups"')[1].split("</section>")[0]
    assert my_groups.count('data-testid="my-group-') - my_groups.count('data-testid="my-group-note"') == 2
    assert 'data-testid="all-my-groups"' in my_groups
    assert html.split('data-testid="panel-latest-content"')[1].split("</section>")[0].count("latest-item") == 5


def test_recently_published_looks_back_a_few_weeks_only(client, watch):
    from home.dashboard import RECENT_DAYS
    from knowledge.models import TechWatchArticlePage

    old = make_article(watch, audience="members", title="Un article d'il y a longtemps")
    long_ago = timezone.now() - datetime.timedelta(days=RECENT_DAYS + 1)
    TechWatchArticlePage.objects.filter(pk=old.pk).update(first_published_at=long_ago)
    make_article(watch, audience="members", title="Un article de la semaine")
    client.force_login(make_member("basic"))

    latest = client.get("/").content.decode().split('data-testid="panel-latest-content"')[1].split("</section>")[0]

    assert "Un article de la semaine" in latest and "longtemps" not in latest


# --- The directory and a group's feed ------------------------------------------------------------------------


def add_people(count, group):
    for _ in range(count):
        user = make_member("basic")
        Profile.objects.filter(user=user).update(display_name=f"Personne {next(_counter)}", show_groups=True)
        GroupMembershipFactory(group=group, user=user)


def test_the_directory_costs_the_same_with_5_or_20_members(client, groups_index, monkeypatch):
    monkeypatch.setattr("members.views.profile.DIRECTORY_PAGE_SIZE", 4)
    group = make_group(groups_index, title="Atelier annuaire")
    add_people(5, group)

    _queries, html = same_queries_at_n_and_3n(
        client, make_member("basic"), reverse("members:directory"), lambda: add_people(15, group)
    )

    assert 'data-testid="pagination"' in html


def test_a_groups_feed_costs_the_same_with_5_or_20_notes(client, groups_index):
    member = make_member("premium")
    group = make_group(groups_index, members=[member])

    def add_notes(count):
        for n in range(count):
            MeetingNotePageFactory(parent=group, meeting_date=timezone.localdate() - datetime.timedelta(days=n))

    add_notes(5)
    url = reverse("working_groups:feed", args=[group.pk, member_services.feed_token_for(member)])
    same_queries_at_n_and_3n(client, None, url, lambda: add_notes(15))


def test_a_group_page_costs_the_same_with_5_or_20_notes(client, groups_index):
    member = make_member("premium")
    group = make_group(groups_index, members=[member])

    def add_notes(count):
        for n in range(count):
            MeetingNotePageFactory(parent=group, meeting_date=timezone.localdate() - datetime.timedelta(days=n + 1))

    add_notes(5)
    _queries, html = same_queries_at_n_and_3n(client, member, group.url, lambda: add_notes(15))
