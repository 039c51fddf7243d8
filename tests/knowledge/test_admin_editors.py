"""Editors in the admin: a watch article is not published without its body (a draft may wait without
one), and the admin dashboard counts what waits for them in the inbox and in the error reports."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from knowledge import sources
from knowledge.forms import EMPTY_BODY
from knowledge.models import ErrorReport, InboxItem, TechWatchArticlePage
from members import roles
from tests.factories.knowledge import WatchSourceFactory, make_article
from tests.factories.members import make_member, make_staff
from tests.factories.working_groups import make_group
from working_groups import services as group_services
from working_groups.models import GroupMembership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def editor():
    return make_member("basic", roles_=[roles.TECHWATCH_EDITORS])


def add_article_url(watch_index):
    return reverse("wagtailadmin_pages:add", args=["knowledge", "techwatcharticlepage", watch_index.pk])


def article_form(title="Le cloud souverain en 2026", *, body=(), action="action-publish"):
    data = nested_form_data(
        {
            "title": title,
            "slug": "le-cloud-souverain-en-2026",
            "summary": "Qui héberge quoi, et sous quel droit.",
            "body": streamfield([("paragraph", rich_text(f"<p>{text}</p>")) for text in body]),
            "commentary": rich_text("<p>Notre avis.</p>"),
            "source_name": "Analyste Cloud",
            "source_date": datetime.date(2026, 11, 2).isoformat(),
            "source_url": "https://example.org/cloud",
            "topics": "Cloud",
            "attachments": streamfield([]),
            "audience": "premium",
            "comments": inline_formset([]),
        }
    )
    if action:
        data[action] = action
    return data


def empty_body_message():
    """The error as the admin shows it to this editor (the admin speaks the site's language by default)."""
    with translation.override("fr"):
        return str(EMPTY_BODY)


# --- No article published without its body --------------------------------------------------------------


def test_publishing_an_article_with_an_empty_body_shows_the_form_again_with_a_clear_error(client, editor, watch_index):
    client.force_login(editor)
    response = client.post(add_article_url(watch_index), article_form())
    assert response.status_code == 200
    assert response.context["form"].errors["body"] == [empty_body_message()]
    assert not TechWatchArticlePage.objects.exists()


def test_saving_a_draft_with_an_empty_body_works(client, editor, watch_index):
    client.force_login(editor)
    response = client.post(add_article_url(watch_index), article_form(action=None))
    assert response.status_code == 302, response.context and response.context["form"].errors
    article = TechWatchArticlePage.objects.get()
    assert not article.live and len(article.body) == 0


def test_publishing_with_a_body_works(client, editor, watch_index):
    client.force_login(editor)
    response = client.post(add_article_url(watch_index), article_form(body=["L'analyse complète."]))
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert TechWatchArticlePage.objects.get().live


def test_submitting_an_empty_article_for_review_is_refused_too(client, watch_index):
    contributor = make_member("basic", roles_=[roles.TECHWATCH_CONTRIBUTORS])
    client.force_login(contributor)
    response = client.post(add_article_url(watch_index), article_form(action="action-submit"))
    assert response.status_code == 200
    assert "body" in response.context["form"].errors


def test_a_draft_from_the_inbox_keeps_its_empty_body_until_an_editor_writes_it(client, editor, watch_index):
    item = InboxItem.objects.create(
        source=WatchSourceFactory(), url="https://example.org/a", title="Le cloud souverain en 2026"
    )
    article = sources.draft_from_item(item, editor)
    assert not article.live and len(article.body) == 0
    client.force_login(editor)
    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])

    refused = client.post(edit_url, article_form(article.title) | {"slug": article.slug})
    assert refused.status_code == 200
    assert refused.context["form"].errors["body"] == [empty_body_message()]
    article.refresh_from_db()
    assert not article.live

    saved = client.post(edit_url, article_form(article.title, action=None) | {"slug": article.slug})
    assert saved.status_code == 302

    published = client.post(edit_url, article_form(article.title, body=["Écrit."]) | {"slug": article.slug})
    assert published.status_code == 302, published.context and published.context["form"].errors
    article.refresh_from_db()
    assert article.live


# --- The editors' counts on the admin dashboard -------------------------------------------------------------


def editors_work(client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one('[data-testid="editors-work"]')


@pytest.fixture
def waiting_work(watch_index, editor):
    """Two new inbox items (and one already handled), one open report (and one handled)."""
    source = WatchSourceFactory()
    for number, state in enumerate(["new", "new", "dismissed"]):
        InboxItem.objects.create(source=source, url=f"https://example.org/{number}", title="Item", state=state)
    article = make_article(watch_index)
    ErrorReport.objects.create(page=article, sender=editor, message="Le chiffre est faux.")
    ErrorReport.objects.create(page=article, sender=editor, message="Déjà corrigé.", handled=True)


def count_of(panel, testid):
    row = panel.select_one(f'[data-testid="{testid}"]')
    return None if row is None else (int(row.strong.text), row.a["href"])


def test_editor_sees_new_inbox_items_and_open_reports_with_links(client, editor, waiting_work):
    client.force_login(editor)
    panel = editors_work(client)
    assert count_of(panel, "inbox-count") == (2, reverse("watch_inbox:index"))
    assert count_of(panel, "reports-count") == (1, reverse("knowledge_reports:index"))
    for _count, url in (count_of(panel, "inbox-count"), count_of(panel, "reports-count")):
        assert client.get(url).status_code == 200


def test_staff_see_the_open_reports_they_answer_but_not_the_inbox(client, waiting_work):
    client.force_login(make_staff())
    panel = editors_work(client)
    assert count_of(panel, "reports-count") == (1, reverse("knowledge_reports:index"))
    assert count_of(panel, "inbox-count") is None


def test_a_lead_sees_no_editors_counts(client, groups_index, waiting_work):
    staff = make_staff()
    group = make_group(groups_index)
    lead = make_member("premium")
    group_services.add_member(group, lead, by=staff, role=GroupMembership.Role.LEAD)
    client.force_login(lead)
    assert editors_work(client) is None


def test_an_outsider_lead_sees_no_editors_counts_either(client, groups_index, waiting_work):
    staff = make_staff()
    make_group(groups_index, leads=[make_member("premium")])
    other = make_group(groups_index, title="Autre groupe")
    outsider = make_member("premium")
    group_services.add_member(other, outsider, by=staff, role=GroupMembership.Role.LEAD)
    client.force_login(outsider)
    assert editors_work(client) is None
