"""The curation inbox in the Wagtail admin: editors make drafts of items or dismiss them; nobody else acts.

Items are made here directly (polling has its own tests, test_sources.py); everything else goes through the
admin with the test client, as an editor's browser would.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from knowledge import sources
from knowledge.models import InboxItem, TechWatchArticlePage
from members import roles
from tests.factories.knowledge import WatchSourceFactory
from tests.factories.members import make_member, make_staff

pytestmark = pytest.mark.django_db

EXCERPT = "Les offres de cloud souverain se multiplient : qui héberge quoi, et sous quel droit ?"


@pytest.fixture
def editor():
    return make_member("basic", roles_=[roles.TECHWATCH_EDITORS])


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def source():
    return WatchSourceFactory(name="Analyste Cloud", default_topics="Cloud, Souveraineté, ")


def make_item(source, **fields):
    values = {
        "url": f"https://example.org/articles/{InboxItem.objects.count() + 1}",
        "title": "Le cloud souverain en 2026",
        "excerpt": EXCERPT,
        "published_at": datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC),
    }
    return InboxItem.objects.create(source=source, **(values | fields))


@pytest.fixture
def item(source):
    return make_item(source)


def draft_url(item):
    return reverse("watch_inbox:draft", args=[item.pk])


def dismiss_url(item):
    return reverse("watch_inbox:dismiss", args=[item.pk])


# --- The list ----------------------------------------------------------------------------------------


def test_the_inbox_opens_on_the_items_to_review_with_their_actions(editor_client, source, watch_index):
    new = make_item(source, title="Nouveau à lire")
    dismissed = make_item(source, title="Déjà écarté", state=InboxItem.State.DISMISSED)

    html = editor_client.get(reverse("watch_inbox:index")).content.decode()

    assert "Nouveau à lire" in html and "Déjà écarté" not in html
    assert draft_url(new) in html and dismiss_url(new) in html
    assert f'href="{new.url}"' in html  # the original, outside the admin
    assert dismiss_url(dismissed) not in html


def test_the_inbox_filters_by_state_and_source(editor_client, source):
    other_source = WatchSourceFactory(name="Autre source")
    make_item(source, title="Nouveau à lire")
    make_item(source, title="Déjà écarté", state=InboxItem.State.DISMISSED)
    make_item(other_source, title="Ailleurs")
    index = reverse("watch_inbox:index")

    everything = editor_client.get(index, {"state": ""}).content.decode()
    assert all(title in everything for title in ("Nouveau à lire", "Déjà écarté", "Ailleurs"))

    dismissed = editor_client.get(index, {"state": "dismissed"}).content.decode()
    assert "Déjà écarté" in dismissed and "Nouveau à lire" not in dismissed

    from_source = editor_client.get(index, {"source": source.pk}).content.decode()
    assert "Nouveau à lire" in from_source and "Ailleurs" not in from_source and "Déjà écarté" not in from_source


def test_an_editor_reads_an_item_in_full(editor_client, item):
    response = editor_client.get(reverse("watch_inbox:inspect", args=[item.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert item.url in html and draft_url(item) in html


# --- Making a draft ----------------------------------------------------------------------------------


def test_an_editor_makes_a_draft_prefilled_from_the_item(editor_client, editor, item, watch_index):
    response = editor_client.post(draft_url(item))

    page = TechWatchArticlePage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert not page.live and page.has_unpublished_changes
    assert page.get_parent().specific == watch_index
    assert page.title == page.draft_title == item.title
    assert page.summary == EXCERPT
    assert page.source_name == "Analyste Cloud"
    assert page.source_url == item.url
    assert page.source_date == datetime.date(2026, 3, 2)  # 23:30 UTC is the next day in Brussels
    assert page.audience == "premium"
    assert set(page.topics.names()) == {"Cloud", "Souveraineté"}
    assert page.owner == editor
    revision = page.latest_revision
    assert revision is not None and revision.user == editor
    assert set(revision.as_object().topics.names()) == {"Cloud", "Souveraineté"}

    item.refresh_from_db()
    assert (item.state, item.article_id, item.handled_by) == (InboxItem.State.DRAFTED, page.pk, editor)
    assert ModelLogEntry.objects.for_instance(item).filter(action="cercle.inbox.draft").exists()

    assert editor_client.get(response["Location"]).status_code == 200  # the editor can go on writing it


def test_making_a_draft_twice_opens_the_same_draft(editor_client, item, watch_index):
    first = editor_client.post(draft_url(item))
    second = editor_client.post(draft_url(item))

    assert TechWatchArticlePage.objects.count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]


def test_the_service_gives_back_the_existing_draft(editor, item, watch_index):
    page = sources.draft_from_item(item, editor)
    assert sources.draft_from_item(item, editor).pk == page.pk
    assert TechWatchArticlePage.objects.count() == 1


def test_a_draft_takes_the_title_as_summary_and_today_as_date_when_the_item_has_neither(editor, source, watch_index):
    item = make_item(source, excerpt="", published_at=None, title="Un titre seul")
    page = sources.draft_from_item(item, editor)
    assert page.summary == "Un titre seul"
    assert page.source_date == timezone.localdate()


def test_a_long_excerpt_is_cut_to_the_summarys_length(editor, source, watch_index):
    item = make_item(source, excerpt="mot " * 250)
    page = sources.draft_from_item(item, editor)
    assert len(page.summary) <= 600 and page.summary.endswith("…")


def test_two_items_with_the_same_title_get_two_drafts(editor, source, watch_index):
    first = sources.draft_from_item(make_item(source, title="Même titre"), editor)
    second = sources.draft_from_item(make_item(source, title="Même titre"), editor)
    assert first.slug != second.slug


def test_without_a_watch_a_draft_is_refused_with_a_message_not_an_error(editor_client, item, home_page):
    response = editor_client.post(draft_url(item), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[0][0] == reverse("watch_inbox:index")
    assert len(list(response.context["messages"])) == 1
    assert not TechWatchArticlePage.objects.exists()
    item.refresh_from_db()
    assert item.state == InboxItem.State.NEW


def test_a_superuser_makes_a_draft_too(client, item, watch_index):
    admin = make_member("premium", is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.post(draft_url(item)).status_code == 302
    assert TechWatchArticlePage.objects.filter(source_url=item.url, live=False).exists()


def test_the_actions_only_answer_posts(editor_client, item, watch_index):
    assert editor_client.get(draft_url(item)).status_code == 405
    assert editor_client.get(dismiss_url(item)).status_code == 405
    assert not TechWatchArticlePage.objects.exists()


# --- Dismissing --------------------------------------------------------------------------------------


def test_an_editor_dismisses_an_item_and_goes_back_to_the_inbox(editor_client, editor, item):
    index = reverse("watch_inbox:index")
    response = editor_client.post(dismiss_url(item), {"next": index})

    assert response.status_code == 302 and response["Location"] == index
    item.refresh_from_db()
    assert (item.state, item.handled_by) == (InboxItem.State.DISMISSED, editor)
    assert ModelLogEntry.objects.for_instance(item).filter(action="cercle.inbox.dismiss").exists()
    assert dismiss_url(item) not in editor_client.get(index).content.decode()


def test_a_dismissed_item_can_be_restored(editor_client, item):
    editor_client.post(dismiss_url(item))
    editor_client.post(reverse("watch_inbox:restore", args=[item.pk]))
    item.refresh_from_db()
    assert item.state == InboxItem.State.NEW


def test_an_item_made_into_a_draft_cannot_be_dismissed(editor_client, item, watch_index):
    editor_client.post(draft_url(item))
    editor_client.post(dismiss_url(item))
    item.refresh_from_db()
    assert item.state == InboxItem.State.DRAFTED


# --- Who may act ------------------------------------------------------------------------------------


def people():
    return {
        "anonymous": lambda: None,
        "basic": lambda: make_member("basic"),
        "premium": lambda: make_member("premium"),
        "contributor": lambda: make_member("basic", roles_=[roles.TECHWATCH_CONTRIBUTORS]),
        "staff": make_staff,  # club staff read the sources, but the curation is the editors'
    }


@pytest.mark.parametrize("kind", list(people()))
def test_only_editors_act_on_the_inbox(client, item, watch_index, kind):
    user = people()[kind]()
    if user is not None:
        client.force_login(user)

    for url in (draft_url(item), dismiss_url(item), reverse("watch_inbox:restore", args=[item.pk])):
        response = client.post(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert "/pages/" not in response["Location"]

    assert not TechWatchArticlePage.objects.exists()
    item.refresh_from_db()
    assert (item.state, item.handled_by) == (InboxItem.State.NEW, None)


@pytest.mark.parametrize("kind", ["anonymous", "basic", "contributor"])
def test_the_inbox_is_not_shown_to_those_who_may_not_curate(client, item, kind):
    user = people()[kind]()
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("watch_inbox:index"))
    assert response.status_code in (302, 403)


def test_the_editors_role_holds_the_inbox_permissions():
    codenames = set(Group.objects.get(name=roles.TECHWATCH_EDITORS).permissions.values_list("codename", flat=True))
    assert {"view_inboxitem", "change_inboxitem"} <= codenames
    contributors = Group.objects.get(name=roles.TECHWATCH_CONTRIBUTORS)
    assert not contributors.permissions.filter(codename="change_inboxitem").exists()
