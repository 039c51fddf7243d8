"""'Relecture veille': contributors write and submit, editors approve and publish."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from knowledge.services import WORKFLOW_NAME
from members import roles
from tests.factories.knowledge import TechWatchArticlePageFactory
from tests.factories.members import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def contributor():
    return make_member("basic", roles_=[roles.TECHWATCH_CONTRIBUTORS])


@pytest.fixture
def editor():
    return make_member("basic", roles_=[roles.TECHWATCH_EDITORS])


def draft(index, author):
    article = TechWatchArticlePageFactory.build(title="Proposition de contributeur", live=False)
    index.add_child(instance=article)
    article.save_revision(user=author)
    return article


def test_the_watch_is_under_the_review_workflow(watch_index):
    assert watch_index.get_workflow().name == WORKFLOW_NAME
    assert draft(watch_index, None).get_workflow().name == WORKFLOW_NAME


def test_a_contributor_may_write_but_not_publish_an_editor_may(watch_index, contributor, editor):
    article = draft(watch_index, contributor)
    assert watch_index.permissions_for_user(contributor).can_add_subpage()
    assert article.permissions_for_user(contributor).can_edit()
    assert not article.permissions_for_user(contributor).can_publish()
    assert article.permissions_for_user(editor).can_publish()
    outsider = make_member("premium")
    assert not article.permissions_for_user(outsider).can_edit()


def test_contributors_and_editors_have_no_rights_elsewhere_in_the_tree(home_page, watch_index, contributor, editor):
    for person in (contributor, editor):
        assert not home_page.permissions_for_user(person).can_edit()
        assert not home_page.permissions_for_user(person).can_add_subpage()


def test_a_submitted_article_goes_live_when_an_editor_approves(watch_index, contributor, editor):
    article = draft(watch_index, contributor)
    workflow_state = watch_index.get_workflow().start(article, contributor)
    task_state = workflow_state.current_task_state
    task = task_state.task.specific
    assert task.get_actions(article, contributor) == []  # a contributor cannot approve their own work
    assert "approve" in [name for name, *_rest in task.get_actions(article, editor)]
    task.on_action(task_state, editor, "approve")
    article.refresh_from_db()
    assert article.live


def edit_form(article, **extra):
    """What the admin's edit form posts for a watch article."""
    data = nested_form_data(
        {
            "title": article.title,
            "slug": article.slug,
            "summary": article.summary,
            "body": streamfield([("paragraph", rich_text("<p>Texte du contributeur.</p>"))]),
            "commentary": rich_text(""),
            "source_name": "Gartner",
            "source_url": "https://example.org/",
            "source_date": "2026-11-20",
            "topics": "cloud",
            "attachments": streamfield([]),
            "audience": "premium",
            "comments": inline_formset([]),
        }
    )
    data.update(extra)
    return data


def test_a_contributor_cannot_publish_through_the_admin_but_submits_for_review(client, watch_index, contributor):
    article = draft(watch_index, contributor)
    client.force_login(contributor)
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    response = client.post(url, edit_form(article, **{"action-publish": "publish"}))
    assert response.status_code in (200, 302)
    article.refresh_from_db()
    assert not article.live

    response = client.post(url, edit_form(article, **{"action-submit": "submit"}))
    assert response.status_code == 302
    article.refresh_from_db()
    assert not article.live
    assert article.current_workflow_state is not None
    assert article.current_workflow_state.workflow.name == WORKFLOW_NAME


def test_an_editor_publishes_through_the_admin(client, watch_index, editor):
    article = draft(watch_index, editor)
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    response = client.post(url, edit_form(article, **{"action-publish": "publish"}))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.live
