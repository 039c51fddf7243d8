"""The page cache (members/page_cache.py) and the entitlements kept in the session (members/entitlements.py).

Pages are kept by what the viewer is entitled to, never by who they are: these tests serve a page to one
viewer so that it is kept, then to another, and check what the second one receives.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from members import entitlements, roles
from members.models import Charter, Membership
from tests.factories.knowledge import (
    BODY_MARKER,
    SUMMARY_MARKER,
    KnowledgeArticlePageFactory,
    KnowledgeCategoryPageFactory,
    KnowledgeIndexPageFactory,
    TechWatchArticlePageFactory,
    TechWatchIndexPageFactory,
)
from tests.factories.members import CharterFactory, make_member
from tests.factories.working_groups import MeetingNotePageFactory, make_group

pytestmark = [pytest.mark.django_db, pytest.mark.page_cache]

NOTE_TEXT = "Décisions confidentielles du comité"


def client_for(user=None):
    client = Client(HTTP_HOST="localhost")
    if user is not None:
        client.force_login(user)
    return client


def state(response):
    return response.get("X-Cercle-Cache", "-")


@pytest.fixture
def watch(home_page):
    return TechWatchIndexPageFactory(parent=home_page)


@pytest.fixture
def premium_article(watch):
    return TechWatchArticlePageFactory(parent=watch, audience="premium")


@pytest.fixture
def knowledge(home_page):
    index = KnowledgeIndexPageFactory(parent=home_page)
    return KnowledgeCategoryPageFactory(parent=index)


# ---------------------------------------------------------------------------------------------
# Who receives a kept page
# ---------------------------------------------------------------------------------------------


def test_a_kept_page_is_answered_without_a_query(premium_article, django_assert_num_queries):
    client = client_for(make_member("premium"))
    first = client.get(premium_article.url)
    assert (first.status_code, state(first)) == (200, "miss")
    with django_assert_num_queries(0):
        second = client.get(premium_article.url)
    assert (second.status_code, state(second)) == (200, "hit")
    assert BODY_MARKER in second.content.decode()


def test_a_basic_member_never_receives_the_premium_members_page(premium_article):
    premium = client_for(make_member("premium"))
    assert BODY_MARKER in premium.get(premium_article.url).content.decode()
    assert state(premium.get(premium_article.url)) == "hit"

    basic = client_for(make_member("basic"))
    response = basic.get(premium_article.url)
    page = response.content.decode()
    assert response.status_code == 200 and state(response) == "miss"
    assert SUMMARY_MARKER in page and BODY_MARKER not in page
    again = basic.get(premium_article.url)
    assert state(again) == "hit" and BODY_MARKER not in again.content.decode()


def test_a_private_groups_page_kept_for_its_member_never_reaches_an_outsider(groups_index):
    insider, outsider = make_member("basic"), make_member("basic")
    group = make_group(groups_index, visibility="private", members=[insider])
    note = MeetingNotePageFactory(parent=group, title=NOTE_TEXT)

    member = client_for(insider)
    assert NOTE_TEXT in member.get(note.url).content.decode()
    assert state(member.get(note.url)) == "hit"

    response = client_for(outsider).get(note.url)
    assert response.status_code == 404 and NOTE_TEXT not in response.content.decode()
    assert client_for().get(note.url).status_code in (302, 404)


def test_each_member_gets_their_own_name_and_a_working_csrf_token(knowledge):
    article = KnowledgeArticlePageFactory(parent=knowledge)
    alice = make_member("basic", first_name="Alice", last_name="Martin")
    bruno = make_member("basic", first_name="Bruno", last_name="Dupont")
    client_for(alice).get(article.url)

    bruno_client = client_for(bruno)
    bruno_client.cookies.load({})
    response = bruno_client.get(article.url)
    page = response.content.decode()
    assert state(response) == "hit"
    assert "Alice" not in page and "Bruno Dupont" in page
    assert "\x00" not in page
    # The logout form's token is Bruno's own: Django accepts it.
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    strict = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    strict.cookies = bruno_client.cookies
    logout = strict.post("/compte/deconnexion/", {"csrfmiddlewaretoken": token})
    assert logout.status_code == 302


def test_a_visitors_page_is_never_given_to_a_member(knowledge):
    article = KnowledgeArticlePageFactory(parent=knowledge, audience="public")
    visitor = client_for()
    assert state(visitor.get(article.url)) == "miss"
    assert state(visitor.get(article.url)) == "hit"
    member_page = client_for(make_member("basic")).get(article.url)
    assert state(member_page) == "miss" and "account__name" in member_page.content.decode()


def test_a_publication_is_seen_at_once(knowledge):
    client = client_for(make_member("basic"))
    client.get(knowledge.url)
    assert state(client.get(knowledge.url)) == "hit"
    KnowledgeArticlePageFactory(parent=knowledge, title="Un guide tout neuf")  # published by the factory
    response = client.get(knowledge.url)
    assert state(response) == "miss" and "Un guide tout neuf" in response.content.decode()


def test_an_unpublished_page_is_gone_at_once(knowledge):
    article = KnowledgeArticlePageFactory(parent=knowledge)
    client = client_for(make_member("basic"))
    client.get(article.url)
    assert state(client.get(article.url)) == "hit"
    article.unpublish()
    assert client.get(article.url).status_code == 404


def test_a_membership_that_ends_stops_premium_pages_at_once(premium_article):
    user = make_member("premium")
    client = client_for(user)
    client.get(premium_article.url)
    assert BODY_MARKER in client.get(premium_article.url).content.decode()

    membership = Membership.objects.get(user=user)
    membership.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    membership.save()
    response = client.get(premium_article.url)
    assert BODY_MARKER not in response.content.decode()


def test_an_upgrade_opens_premium_pages_at_once(premium_article):
    user = make_member("basic")
    client = client_for(user)
    assert BODY_MARKER not in client.get(premium_article.url).content.decode()
    membership = Membership.objects.get(user=user)
    membership.tier = "premium"
    membership.save()
    assert BODY_MARKER in client.get(premium_article.url).content.decode()


def test_a_new_charter_shuts_member_pages_until_signed(knowledge):
    article = KnowledgeArticlePageFactory(parent=knowledge)
    client = client_for(make_member("basic"))
    assert client.get(article.url).status_code == 200
    CharterFactory(version=str(Charter.objects.count() + 5), effective_date=timezone.localdate())
    response = client.get(article.url)
    assert state(response) != "hit"
    assert response.status_code in (302, 403)


def test_joining_a_group_opens_its_pages_at_once(groups_index):
    user, insider = make_member("basic"), make_member("basic")
    group = make_group(groups_index, visibility="private", members=[insider])
    note = MeetingNotePageFactory(parent=group, title=NOTE_TEXT)
    client = client_for(user)
    assert client.get(note.url).status_code == 404
    from tests.factories.working_groups import GroupMembershipFactory

    GroupMembershipFactory(group=group, user=user)
    assert NOTE_TEXT in client.get(note.url).content.decode()


# ---------------------------------------------------------------------------------------------
# What is never kept
# ---------------------------------------------------------------------------------------------


def test_people_with_an_admin_role_are_never_served_a_kept_page(premium_article):
    editor = make_member("premium", roles_=[roles.TECHWATCH_EDITORS])
    client = client_for(editor)
    assert state(client.get(premium_article.url)) == "-"
    assert state(client.get(premium_article.url)) == "-"


def test_pending_messages_are_shown_not_skipped(knowledge):
    from django.contrib.messages import SUCCESS
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse
    from django.test import RequestFactory

    client = client_for(make_member("basic"))
    client.get(knowledge.url)
    assert state(client.get(knowledge.url)) == "hit"
    # A message waiting in its cookie, as after a form's redirect.
    storage = CookieStorage(RequestFactory().get("/"))
    carrier = HttpResponse()
    storage._store([Message(SUCCESS, "Votre profil est enregistré.")], carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value
    response = client.get(knowledge.url)
    assert state(response) != "hit"
    assert "Votre profil est enregistré." in response.content.decode()


def test_the_members_home_is_their_own_dashboard_never_kept(home_page):
    client = client_for(make_member("basic"))
    assert state(client.get("/")) == "-"
    assert state(client.get("/")) == "-"


def test_the_cache_can_be_turned_off(knowledge, settings):
    settings.CERCLE_PAGE_CACHE_SECONDS = 0
    client = client_for(make_member("basic"))
    client.get(knowledge.url)
    assert state(client.get(knowledge.url)) == "-"


def test_other_methods_pass_through(knowledge):
    client = client_for(make_member("basic"))
    client.get(knowledge.url)
    assert state(client.head(knowledge.url)) != "hit"


# ---------------------------------------------------------------------------------------------
# Entitlements in the session
# ---------------------------------------------------------------------------------------------


def test_a_members_entitlements_cost_no_query_once_kept(knowledge, django_assert_max_num_queries):
    """On a page that is not kept (the discussions' index), only the person themself is read."""
    client = client_for(make_member("basic"))
    client.get("/discussions/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get("/discussions/")
    policy_tables = ("members_membership", "members_charter", "auth_group", "working_groups_groupmembership")
    person, *others = [q["sql"] for q in queries.captured_queries]
    assert person.startswith('SELECT "auth_user"')  # the one query: the person, their profile and charter state
    assert [sql for sql in others if any(table in sql for table in policy_tables)] == []


def test_a_role_change_renews_the_facts(knowledge):
    user = make_member("basic")
    client = client_for(user)
    client.get(knowledge.url)
    before = client.session[entitlements.SESSION_KEY]["roles"]
    user.groups.add(Group.objects.get(name=roles.TECHWATCH_EDITORS))
    client.get(knowledge.url)
    after = client.session[entitlements.SESSION_KEY]["roles"]
    assert roles.TECHWATCH_EDITORS not in before and roles.TECHWATCH_EDITORS in after


def test_facts_of_yesterday_are_not_used_today(knowledge):
    user = make_member("basic")
    client = client_for(user)
    client.get(knowledge.url)
    session = client.session
    facts = session[entitlements.SESSION_KEY]
    assert entitlements.facts_from_session(session, user.pk) is not None
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert entitlements.facts_from_session(session, user.pk, day=tomorrow) is None
    assert entitlements.facts_from_session(session, user.pk + 1) is None
    assert facts["tier"] == "basic"


def test_a_lost_stamp_counts_as_a_change(knowledge):
    user = make_member("basic")
    client = client_for(user)
    client.get(knowledge.url)
    session = client.session
    assert entitlements.facts_from_session(session, user.pk) is not None
    caches[entitlements.settings.CERCLE_SHARED_CACHE].delete(entitlements.person_stamp_key(user.pk))
    assert entitlements.facts_from_session(session, user.pk) is None


def test_the_membership_sync_renews_everyones_facts(knowledge):
    from members.services import sync_memberships

    user = make_member("basic")
    client = client_for(user)
    client.get(knowledge.url)
    assert entitlements.facts_from_session(client.session, user.pk) is not None
    sync_memberships()
    assert entitlements.facts_from_session(client.session, user.pk) is None


def test_the_watch_index_puts_back_each_members_own_feed_address(watch, premium_article):
    from members.models import Profile

    alice, bruno = make_member("basic"), make_member("basic")
    alice_client, bruno_client = client_for(alice), client_for(bruno)
    for _ in range(2):  # the first visit makes Alice's feed token; the second is kept
        alice_client.get(watch.url)
    # Bruno's first visit makes his token, the second renews the facts his session keeps; the third is served
    # from Alice's kept page, with his token.
    for _ in range(3):
        response = bruno_client.get(watch.url)
    alice_token = Profile.objects.get(user=alice).feed_token
    bruno_token = Profile.objects.get(user=bruno).feed_token
    page = response.content.decode()
    assert state(response) == "hit"
    assert bruno_token and bruno_token in page and alice_token not in page
    assert "no-store" in response["Cache-Control"]  # still a secret for browsers and proxies
    stored = list(caches["default"]._cache.values())  # local memory keeps pickled bytes
    assert not any(alice_token.encode() in blob or bruno_token.encode() in blob for blob in stored)


def test_a_dashboard_panel_is_kept_per_kind_and_renewed_with_the_pages(home_page):
    from django.test import RequestFactory

    from members.access import Viewer
    from members.dashboard import Panel, context_for

    computed = []

    def get_context(request, viewer):
        computed.append(viewer.kind)
        return {"kind": viewer.kind}

    panel = Panel("probe", "unused.html", get_context, per_kind=True)
    request = RequestFactory().get("/")
    first, second, premium = make_member("basic"), make_member("basic"), make_member("premium")
    assert context_for(panel, request, Viewer(first)) == {"kind": Viewer(first).kind}
    assert context_for(panel, request, Viewer(second)) == {"kind": Viewer(first).kind}  # same kind: kept
    assert context_for(panel, request, Viewer(premium)) == {"kind": Viewer(premium).kind}
    assert len(computed) == 2
    entitlements.renew_pages()
    context_for(panel, request, Viewer(first))
    assert len(computed) == 3
    personal = Panel("mine", "unused.html", get_context)  # not per kind: computed every time
    context_for(personal, request, Viewer(first))
    context_for(personal, request, Viewer(first))
    assert len(computed) == 5
