"""Every kind of page the club has is a search document, and the document follows every change of its page.

Tests read the `SearchDocument` rows themselves: what a search then answers is the engines' business
(test_contract.py). Pages are published the way the admin does it (`save_revision().publish()`).
"""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from members.models import Audience
from search.models import SearchDocument
from tests.factories.home import StandardPageFactory
from tests.factories.knowledge import (
    BODY_MARKER,
    COMMENTARY_MARKER,
    SUMMARY_MARKER,
    KnowledgeArticlePageFactory,
    KnowledgeCategoryPageFactory,
    KnowledgeIndexPageFactory,
    TechWatchArticlePageFactory,
    TechWatchIndexPageFactory,
    make_article,
)
from tests.factories.members import UserFactory
from tests.factories.working_groups import MeetingNotePageFactory, make_group

pytestmark = pytest.mark.django_db

AGENDA_MARKER = "ORDRE-DU-JOUR-DU-GROUPE"
DECISION_MARKER = "DECISION-DU-GROUPE"


def document(page):
    return SearchDocument.objects.filter(key=f"page:{page.pk}").first()


def facets(page):
    return set(document(page).facets.values_list("facet", "value", "label"))


@pytest.fixture
def watch(home_page):
    return TechWatchIndexPageFactory(parent=home_page)


@pytest.fixture
def cluster(groups_index):
    return make_group(groups_index, kind="cluster", visibility="premium", title="Grappe cloud", theme="Cloud souverain")


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def make_note(group, **fields):
    """Published notes with an agenda, a decision, an action item and two attendees."""
    note = MeetingNotePageFactory.build(
        agenda=f"<p>Point 1 : {AGENDA_MARKER}</p>",
        outcomes=[
            {"type": "decision", "value": {"text": f"Le groupe adopte la grille. {DECISION_MARKER}"}},
            {
                "type": "action_item",
                "value": {"description": "Rédiger la synthèse", "owner": "Luc Gérard", "status": "open"},
            },
        ],
        **fields,
    )
    group.add_child(instance=note)
    note.attendees.set([UserFactory(first_name="Anne", last_name="Lambert"), UserFactory(last_name="Dubois")])
    return publish(note)


# --- What each indexer builds -------------------------------------------------------------------------


def test_a_premium_watch_article_teases_with_its_summary_source_and_topics_never_its_body(watch, cluster):
    article = make_article(watch, topics=["cloud souverain"], clusters=[cluster], audience="premium")

    doc = document(article)
    assert (doc.kind, doc.section, doc.know, doc.read) == ("watch_article", "watch", "members", "premium")
    assert doc.title == article.title and doc.url == article.url and doc.language == "fr"
    assert SUMMARY_MARKER in doc.teaser and "Gartner" in doc.teaser and "cloud souverain" in doc.teaser
    assert BODY_MARKER not in doc.teaser and COMMENTARY_MARKER not in doc.teaser
    assert BODY_MARKER in doc.body and COMMENTARY_MARKER in doc.body
    assert "<p>" not in doc.body
    assert doc.date.date() == article.source_date
    assert facets(article) == {
        ("topic", "cloud-souverain", "cloud souverain"),
        ("cluster", str(cluster.pk), "Grappe cloud"),
    }


def test_a_public_article_does_not_name_a_cluster_visitors_may_not_know(watch, cluster):
    article = make_article(watch, clusters=[cluster], audience="public")

    assert document(article).know == "public"
    assert not {facet for facet in facets(article) if facet[0] == "cluster"}


def test_knowledge_base_index_categories_and_guides_are_documents_of_the_knowledge_section(home_page):
    kb = KnowledgeIndexPageFactory(parent=home_page, introduction="<p>Les guides durables du club.</p>")
    category = KnowledgeCategoryPageFactory(parent=kb, title="Sécurité", introduction="<p>Se protéger.</p>")
    author = UserFactory(first_name="Claire", last_name="Dubois")
    guide = KnowledgeArticlePageFactory.build(title="Gérer une cyberattaque", summary="Les 72 premières heures.")
    category.add_child(instance=guide)
    guide.authors.set([author])
    guide.topics.add("cybersécurité")
    publish(guide)

    assert (document(kb).kind, document(kb).section, document(kb).teaser) == (
        "knowledge_index",
        "knowledge",
        "Les guides durables du club.",
    )
    assert (document(category).kind, document(category).know) == ("knowledge_category", "public")
    doc = document(guide)
    assert (doc.kind, doc.section, doc.know, doc.read) == ("knowledge_article", "knowledge", "members", "members")
    assert "Les 72 premières heures." in doc.teaser and "Claire Dubois" in doc.teaser
    assert "Contexte" in doc.body and BODY_MARKER in doc.body and BODY_MARKER not in doc.teaser
    assert "Section heading" not in doc.body  # a heading's level is not text of the guide
    assert facets(guide) == {("topic", guide.topics.get().slug, "cybersécurité")}


def test_groups_and_clusters_are_told_apart_and_their_purpose_is_for_those_who_may_enter(groups_index, cluster):
    group = make_group(groups_index, title="Gouvernance IT", theme="Pilotage", purpose=f"<p>{AGENDA_MARKER}</p>")

    assert (document(groups_index).kind, document(groups_index).section) == ("groups_index", "groups")
    doc = document(group)
    assert (doc.kind, doc.section, doc.know, doc.read) == ("working_group", "groups", "members", "members")
    assert doc.teaser == "Pilotage" and doc.body == AGENDA_MARKER
    assert facets(group) == {("group", str(group.pk), "Gouvernance IT")}
    doc = document(cluster)
    assert (doc.kind, doc.know, doc.read) == ("cluster", "members", "premium")
    assert "Cloud souverain" in doc.teaser and "Partager les pratiques" in doc.body


def test_meeting_notes_tease_with_their_title_and_date_and_keep_the_rest_for_the_group(groups_index):
    group = make_group(groups_index, title="Gouvernance IT", visibility="private")
    note = make_note(group, title="Réunion de mars", meeting_date="2026-03-12", place="Namur")

    doc = document(note)
    assert (doc.kind, doc.section, doc.know, doc.read, doc.group_id) == (
        "meeting_note",
        "groups",
        "group",
        "group",
        group.pk,
    )
    assert "12 mars 2026" in doc.teaser and "2026-03-12" in doc.teaser
    for secret in (AGENDA_MARKER, DECISION_MARKER, "Namur", "Anne Lambert", "Luc Gérard"):
        assert secret in doc.body and secret not in doc.teaser
    assert "To do" not in doc.body and "open" not in doc.body.split()
    assert doc.date.date().isoformat() == "2026-03-12"
    assert facets(note) == {("group", str(group.pk), "Gouvernance IT")}


def test_the_clubs_pages_are_in_the_club_section(home_page):
    page = StandardPageFactory(
        parent=home_page,
        introduction="Qui nous sommes.",
        body=[{"type": "paragraph", "value": "<p>Un club <b>indépendant</b>.</p>"}],
    )

    doc = document(page)
    assert (doc.kind, doc.section, doc.know, doc.teaser, doc.body) == (
        "page",
        "club",
        "public",
        "Qui nous sommes.",
        "Un club indépendant.",
    )
    assert (document(home_page).kind, document(home_page).section) == ("home", "club")


# --- Indexing follows every change --------------------------------------------------------------------


def test_a_page_is_found_once_published_and_a_draft_never_changes_its_document(watch):
    article = TechWatchArticlePageFactory.build(live=False, summary="Premier résumé.")
    watch.add_child(instance=article)
    assert document(article) is None  # a page never published has no document

    publish(article)
    assert "Premier résumé." in document(article).teaser

    article.summary = "Résumé du brouillon."
    article.body = [{"type": "paragraph", "value": "<p>TEXTE-DU-BROUILLON</p>"}]
    article.save_revision()
    doc = document(article)
    assert "Premier résumé." in doc.teaser and "brouillon" not in doc.teaser.lower() + doc.body.lower()

    article.save_revision().publish()
    doc = document(article)
    assert "Résumé du brouillon." in doc.teaser and "TEXTE-DU-BROUILLON" in doc.body


def test_unpublishing_removes_the_document_and_publishing_again_brings_it_back(watch):
    article = make_article(watch)

    article.unpublish()
    assert document(article) is None

    publish(article)
    assert document(article) is not None


def test_a_note_moved_under_a_private_group_is_known_to_that_group_only(groups_index):
    open_group = make_group(groups_index, title="Groupe ouvert")
    board = make_group(groups_index, title="Conseil", visibility="private")
    note = make_note(open_group)
    assert (document(note).know, document(note).group_id) == ("members", None)

    note.move(board, pos="last-child")
    note.refresh_from_db()

    doc = document(note)
    assert (doc.know, doc.read, doc.group_id) == ("group", "group", board.pk)
    assert doc.url == note.url and doc.url.startswith(board.url) and doc.page_path == note.path
    assert facets(note) == {("group", str(board.pk), "Conseil")}


def test_a_group_made_private_takes_its_notes_with_it(groups_index):
    group = make_group(groups_index)
    notes = [make_note(group), make_note(group)]

    group.visibility = "private"
    publish(group)

    assert (document(group).know, document(group).group_id) == ("group", group.pk)
    for note in notes:
        assert (document(note).know, document(note).read, document(note).group_id) == ("group", "group", group.pk)


def test_a_private_group_drafted_open_stays_private_until_published(groups_index):
    """A draft opens nothing: neither the policy's audience rows nor the search documents follow it."""
    from members.models import PageAudience

    group = make_group(groups_index, visibility="private")
    note = make_note(group)

    group.visibility = "members"
    group.save_revision()
    assert PageAudience.objects.get(page_id=note.pk).know == "group"
    assert document(note).know == "group"

    publish(group)
    assert (document(note).know, document(note).group_id) == ("members", None)


def test_wagtail_privacy_on_a_section_reaches_the_documents_below_it(home_page):
    section = StandardPageFactory(parent=home_page, title="Gouvernance")
    page = StandardPageFactory(parent=section, title="Statuts")
    assert document(page).know == "public"

    restriction = PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([Group.objects.get_or_create(name="Club staff test")[0]])

    assert (document(section).know, document(page).know) == (Audience.STAFF, Audience.STAFF)

    restriction.delete()
    assert (document(section).know, document(page).know) == ("public", "public")


def test_a_renamed_group_renames_its_notes_facet_and_a_new_slug_readdresses_them(groups_index):
    group = make_group(groups_index, title="Groupe cloud", slug="cloud")
    note = make_note(group)

    group.title, group.slug = "Groupe cloud souverain", "cloud-souverain"
    publish(group)
    note.refresh_from_db()

    assert facets(note) == {("group", str(group.pk), "Groupe cloud souverain")}
    assert document(note).url == note.url and "/cloud-souverain/" in document(note).url


def test_a_cluster_made_private_is_no_longer_named_by_the_articles_of_others(watch, cluster):
    article = make_article(watch, clusters=[cluster], audience="premium")
    assert ("cluster", str(cluster.pk), "Grappe cloud") in facets(article)

    cluster.visibility = "private"
    publish(cluster)

    assert not {facet for facet in facets(article) if facet[0] == "cluster"}


def test_deleting_a_group_removes_its_document_and_those_of_its_notes(groups_index, watch, cluster):
    notes = [make_note(cluster), make_note(cluster)]
    article = make_article(watch, clusters=[cluster])
    kept = make_group(groups_index)

    cluster.delete()

    assert not SearchDocument.objects.filter(key__in=[f"page:{p.pk}" for p in (cluster, *notes)]).exists()
    assert document(kept) is not None
    assert not {facet for facet in facets(article) if facet[0] == "cluster"}


def test_a_rebuild_writes_the_same_documents_as_the_signals(groups_index, watch, cluster):
    from search import index

    make_article(watch, topics=["cloud"], clusters=[cluster])
    make_note(cluster)
    before = {
        doc.key: (doc.kind, doc.teaser, doc.body, doc.know, doc.read, doc.group_id, doc.url)
        for doc in SearchDocument.objects.filter(key__startswith="page:")
    }

    SearchDocument.objects.all().delete()
    index.store_all()

    after = {
        doc.key: (doc.kind, doc.teaser, doc.body, doc.know, doc.read, doc.group_id, doc.url)
        for doc in SearchDocument.objects.filter(key__startswith="page:")
    }
    assert after == before


def test_the_demo_is_indexed_as_it_is_built_and_a_rebuild_changes_nothing(settings, tmp_path, monkeypatch):
    """The demo's loaders create, publish, move and restrict pages the way the club does: the documents
    the signals keep are those a rebuild writes, for every page of a kind the search knows."""
    from io import StringIO

    from django.core.management import call_command
    from wagtail.models import Page

    from search import index, registry

    settings.MEDIA_ROOT = str(tmp_path)
    rebuild = index.store_all
    monkeypatch.setattr(index, "store_all", lambda progress=None: 0)  # load_demo's final rebuild, skipped
    call_command("load_demo", stdout=StringIO())

    def snapshot():
        return {
            doc.key: (doc.kind, doc.url, doc.title, doc.teaser, doc.body, doc.know, doc.read, doc.group_id)
            for doc in SearchDocument.objects.filter(key__startswith="page:")
        }

    kept = snapshot()
    rebuild()
    assert snapshot() == kept

    live = Page.objects.live().filter(depth__gt=1).specific()
    indexed = {f"page:{page.pk}" for page in live if registry.indexer_for(page) is not None}
    assert set(kept) == indexed
    kinds = set(SearchDocument.objects.values_list("kind", flat=True))
    assert {"watch_article", "knowledge_article", "knowledge_category", "cluster", "working_group"} <= kinds
    assert {"meeting_note", "page", "home", "watch_index", "knowledge_index", "groups_index"} <= kinds
