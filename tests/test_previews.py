"""Every page type of the project can be previewed from the admin and shown from one of its revisions.

A page rebuilt from the edit form or from a revision keeps its many-to-many relations (clusters, topics,
authors, attendees) in memory, not in the database: the page's context must work on both. The protocol is
Wagtail's own (admin/tests/pages/test_preview.py): POST the edit form's data to the preview view, then GET
the rendered preview; and GET the revision view.
"""

import html

import pytest
from django.apps import apps
from django.urls import reverse
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.test.utils.form_data import querydict_from_html

from tests.factories.events import EventIndexPageFactory, EventSpeakerFactory, make_event
from tests.factories.home import StandardPageFactory
from tests.factories.knowledge import (
    KnowledgeArticlePageFactory,
    KnowledgeCategoryPageFactory,
    KnowledgeIndexPageFactory,
    TechWatchIndexPageFactory,
    make_article,
)
from tests.factories.members import make_staff
from tests.factories.opportunities import OpportunityIndexPageFactory, make_opportunity
from tests.factories.working_groups import MeetingNotePageFactory, WorkingGroupIndexPageFactory, make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_pages(home_page):
    """One page of each type, with its relations filled in (clusters, topics, authors, attendees)."""
    staff = make_staff(is_superuser=True, is_staff=True)
    groups = WorkingGroupIndexPageFactory(parent=home_page, title="Groupes de l'aperçu")
    cluster = make_group(groups, kind="cluster", visibility="private", title="Grappe de l'aperçu", members=[staff])
    note = MeetingNotePageFactory(parent=cluster, title="Réunion de l'aperçu")
    note.attendees.set([staff])
    note.save_revision()
    watch = TechWatchIndexPageFactory(parent=home_page, title="Veille de l'aperçu")
    article = make_article(watch, title="Article de l'aperçu", topics=["cloud"], clusters=[cluster])
    knowledge = KnowledgeIndexPageFactory(parent=home_page, title="Connaissances de l'aperçu")
    category = KnowledgeCategoryPageFactory(parent=knowledge, title="Catégorie de l'aperçu")
    guide = KnowledgeArticlePageFactory(parent=category, title="Guide de l'aperçu")
    guide.topics.add("achats")
    guide.clusters.set([cluster])
    guide.authors.set([staff])
    guide.save_revision().publish()
    agenda = EventIndexPageFactory(parent=home_page, title="Agenda de l'aperçu")
    event = make_event(agenda, title="Événement de l'aperçu", capacity=10, online_url="https://visio.example.org/a")
    event.clusters.set([cluster])
    EventSpeakerFactory(page=event, name="Oratrice de l'aperçu", member=staff)
    event.save_revision().publish()
    opportunities = OpportunityIndexPageFactory(parent=home_page, title="Opportunités de l'aperçu")
    opportunity = make_opportunity(
        opportunities, title="Opportunité de l'aperçu", sectors=["Santé"], clusters=[cluster]
    )
    pages = [
        home_page,
        StandardPageFactory(parent=home_page, title="Page de l'aperçu"),
        groups,
        cluster,
        note,
        watch,
        article,
        knowledge,
        category,
        guide,
        opportunities,
        opportunity,
        agenda,
        event,
    ]
    return staff, {type(page).__name__: Page.objects.get(pk=page.pk).specific for page in pages}


def project_page_types():
    """Every concrete page model the project's own apps define, so that a new one cannot be forgotten."""
    return sorted(
        model.__name__
        for app in ("opportunities", "home", "knowledge", "working_groups", "members", "events")
        for model in apps.get_app_config(app).get_models()
        if issubclass(model, Page)
    )


def text_of(response):
    return html.unescape(response.content.decode())


def edit_form_data(page, edit_response):
    """What the edit form would post: its fields as the HTML holds them. A stream field's blocks are built
    by the admin's JavaScript, absent from the HTML: they are posted empty (the revision view shows them)."""
    data = querydict_from_html(edit_response.content.decode(), form_id="page-edit-form")
    data = data.copy()
    for field in type(page)._meta.get_fields():
        if isinstance(field, StreamField) and f"{field.name}-count" not in data:
            data[f"{field.name}-count"] = "0"
    return data


PAGE_TYPES = [
    "EventIndexPage",
    "EventPage",
    "HomePage",
    "KnowledgeArticlePage",
    "KnowledgeCategoryPage",
    "KnowledgeIndexPage",
    "MeetingNotePage",
    "OpportunityIndexPage",
    "OpportunityPage",
    "StandardPage",
    "TechWatchArticlePage",
    "TechWatchIndexPage",
    "WorkingGroupIndexPage",
    "WorkingGroupPage",
]


def test_the_list_covers_every_page_type_of_the_project():
    assert project_page_types() == PAGE_TYPES


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_the_admin_previews_every_page_type(client, site_pages, page_type):
    staff, pages = site_pages
    page = pages[page_type]
    client.force_login(staff)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert edit.status_code == 200
    data = edit_form_data(page, edit)
    data["title"] = f"{page.title} (modifiée)"
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])

    response = client.post(preview_url, data)
    assert response.status_code == 200
    assert response.json() == {"is_valid": True, "is_available": True}

    response = client.get(preview_url)
    assert response.status_code == 200
    assert f"{page.title} (modifiée)" in text_of(response)


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_the_admin_shows_every_page_type_from_a_revision(client, site_pages, page_type):
    staff, pages = site_pages
    page = pages[page_type]
    page.title = f"{page.title} (révision)"
    revision = page.save_revision(user=staff)
    client.force_login(staff)
    response = client.get(reverse("wagtailadmin_pages:revisions_view", args=[page.pk, revision.pk]))
    assert response.status_code == 200
    assert page.title in text_of(response)


def test_a_watch_article_preview_names_its_clusters_and_links_its_topics(client, site_pages):
    staff, pages = site_pages
    article = pages["TechWatchArticlePage"]
    client.force_login(staff)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    data = edit_form_data(article, edit)
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])
    assert client.post(preview_url, data).status_code == 200
    html = text_of(client.get(preview_url))
    assert "Grappe de l'aperçu" in html
    assert "?sujet=cloud" in html


def test_an_opportunity_preview_names_its_clusters_and_links_its_sectors(client, site_pages):
    staff, pages = site_pages
    opportunity = pages["OpportunityPage"]
    client.force_login(staff)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[opportunity.pk]))
    data = edit_form_data(opportunity, edit)
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[opportunity.pk])
    assert client.post(preview_url, data).status_code == 200
    html = text_of(client.get(preview_url))
    assert "Grappe de l'aperçu" in html
    assert "?secteur=sant" in html
