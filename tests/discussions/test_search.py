"""Threads and replies in the search: found only by who may read their space, never counted for others;
deleted, hidden and edited texts followed at once; a group made private, or a moved thread, takes its
documents' audiences along."""

import pytest
from django.urls import reverse

from discussions import moderation, services
from discussions import search as discussion_search
from members.access import Viewer
from search import api, index, registry
from search.models import SearchDocument
from tests.factories.discussions import answer, start

pytestmark = pytest.mark.django_db

VIEWERS = ["anonymous", "basic", "premium", "expired", "unsigned", "member", "outsider", "lead", "editor", "staff"]
# Who reads each kind of space (the access policy's answer, written out so that a change shows here).
READERS = {
    "club": {"basic", "premium", "member", "outsider", "lead", "editor", "staff"},
    "thematic": {"basic", "premium", "member", "outsider", "lead", "editor", "staff"},
    "cluster": {"premium", "member", "outsider", "lead", "staff"},
    "private": {"member", "lead", "staff"},
}
# One word per space only in its thread's opening post, one only in its reply.
THREAD_WORDS = {"club": "albatros", "thematic": "blaireau", "cluster": "chinchilla", "private": "dromadaire"}
REPLY_WORDS = {"club": "flamant", "thematic": "gazelle", "cluster": "hippocampe", "private": "iguane"}
SHARED = "kangourou"


def viewer_of(people, kind):
    return Viewer(people[kind])


def hits(text, viewer, **filters):
    return api.search(text, viewer, filters=filters).results


def found_keys(text, viewer):
    return {hit.document.key for hit in hits(text, viewer).hits}


def writer(people, kind):
    return people["member"]  # in every group, premium: writes everywhere


@pytest.fixture
def conversations(people, spaces):
    """{space kind: (opening post, reply)} with the words above."""
    made = {}
    for kind, space in spaces.items():
        opening = start(
            writer(people, kind),
            space,
            title=f"Sujet {kind}",
            text=f"Le {THREAD_WORDS[kind]} et le {SHARED} du groupe.",
        )
        reply = answer(people["lead"], opening.thread, text=f"Réponse : le {REPLY_WORDS[kind]}.")
        made[kind] = (opening, reply)
    return made


def test_the_kinds_and_section_are_registered():
    assert registry.kind_label("discussion") and registry.kind_label("discussion_reply")
    assert registry.section_label("discussions") != "discussions"


def test_a_threads_document(conversations, spaces):
    opening, reply = conversations["private"]
    thread = opening.thread
    doc = SearchDocument.objects.get(key=f"discussion:{thread.pk}")
    space = spaces["private"]
    assert (doc.know, doc.read, doc.group_id) == (space.read, space.read, space.audience_group_id)
    assert doc.read == "group" and doc.group_id == space.group_id
    assert doc.title == thread.title and THREAD_WORDS["private"] in doc.body
    assert doc.teaser == space.title  # never a member's words
    assert doc.url == reverse("discussions:thread", args=[thread.pk]) and not doc.url.startswith("/en/")
    assert doc.section == "discussions"
    assert {(f.facet, f.value) for f in doc.facets.all()} == {("group", str(space.group_id))}
    reply_doc = SearchDocument.objects.get(key=f"discussion_reply:{reply.pk}")
    assert reply_doc.title == f"Re: {thread.title}" and REPLY_WORDS["private"] in reply_doc.body
    assert reply_doc.url == reverse("discussions:post", args=[reply.pk])
    assert reply_doc.read == "group" and reply_doc.teaser == space.title
    # The opening post is the thread's document, not a reply's.
    assert not SearchDocument.objects.filter(key=f"discussion_reply:{opening.pk}").exists()


def test_club_wide_threads_have_no_facet(conversations):
    opening, _reply = conversations["club"]
    doc = SearchDocument.objects.get(key=f"discussion:{opening.thread_id}")
    assert (doc.know, doc.read, doc.group_id) == ("members", "members", None)
    assert not doc.facets.exists()


@pytest.mark.parametrize("viewer_kind", VIEWERS)
def test_found_only_by_readers(viewer_kind, people, spaces, conversations):
    viewer = viewer_of(people, viewer_kind)
    for space_kind, (opening, reply) in conversations.items():
        expected = viewer_kind in READERS[space_kind]
        assert services.may_read(viewer, spaces[space_kind]) == expected, (viewer_kind, space_kind)
        thread_key, reply_key = f"discussion:{opening.thread_id}", f"discussion_reply:{reply.pk}"
        assert (thread_key in found_keys(THREAD_WORDS[space_kind], viewer)) == expected, (viewer_kind, space_kind)
        assert (reply_key in found_keys(REPLY_WORDS[space_kind], viewer)) == expected, (viewer_kind, space_kind)
        # Nor by the thread's title ("Sujet private") for those who may not read it.
        assert (thread_key in found_keys(f"Sujet {space_kind}", viewer)) == expected, (viewer_kind, space_kind)


@pytest.mark.parametrize("viewer_kind", VIEWERS)
def test_counts_and_facets_reveal_nothing(viewer_kind, people, spaces, conversations):
    viewer = viewer_of(people, viewer_kind)
    readable = [kind for kind in conversations if viewer_kind in READERS[kind]]
    results = hits(SHARED, viewer)
    assert results.total == len(readable)
    if not readable:
        assert not any(results.facets.get(name) for name in ("kind", "section", "group", "cluster"))
        return
    assert dict((v, n) for v, _label, n in results.facets["kind"]) == {"discussion": len(readable)}
    assert dict((v, n) for v, _label, n in results.facets["section"]) == {"discussions": len(readable)}
    groups = {value for value, _label, _n in results.facets.get("group", [])}
    assert groups == {str(spaces[kind].group_id) for kind in readable if spaces[kind].group_id}
    # Filtering on the private group's facet finds nothing for those who may not read it.
    private = hits(SHARED, viewer, group=str(spaces["private"].group_id))
    assert private.total == (1 if "private" in readable else 0)


def test_a_deleted_reply_is_no_longer_found(people, conversations):
    _opening, reply = conversations["club"]
    staff = Viewer(people["staff"])
    services.delete_post(Viewer(people["lead"]), reply)
    assert not found_keys(REPLY_WORDS["club"], staff)
    assert not SearchDocument.objects.filter(key=f"discussion_reply:{reply.pk}").exists()


def test_a_deleted_opening_post_leaves_the_title_only(people, conversations):
    opening, _reply = conversations["club"]
    staff = Viewer(people["staff"])
    services.delete_post(Viewer(people["member"]), opening)
    assert not found_keys(THREAD_WORDS["club"], staff)
    assert f"discussion:{opening.thread_id}" in found_keys("Sujet club", staff)


def test_a_hidden_post_is_no_longer_found_and_unhiding_brings_it_back(people, conversations):
    opening, reply = conversations["thematic"]
    lead, staff = Viewer(people["lead"]), Viewer(people["staff"])
    moderation.hide(lead, reply, "Hors sujet")
    moderation.hide(lead, opening, "Hors sujet")
    assert not found_keys(REPLY_WORDS["thematic"], staff)
    assert not found_keys(THREAD_WORDS["thematic"], staff)
    reply.refresh_from_db()
    moderation.unhide(lead, reply)
    assert found_keys(REPLY_WORDS["thematic"], staff) == {f"discussion_reply:{reply.pk}"}


def test_editing_changes_what_is_found(people, conversations):
    opening, reply = conversations["cluster"]
    premium = Viewer(people["premium"])
    services.edit_post(Viewer(people["member"]), opening, source="Le lemming remplace tout.", title="Nouveau titre")
    assert SearchDocument.objects.get(key=f"discussion_reply:{reply.pk}").title == "Re: Nouveau titre"
    reply.refresh_from_db()  # as a new request would load it, with its thread's new title
    services.edit_post(Viewer(people["lead"]), reply, source="Le narval aussi.")
    assert not found_keys(THREAD_WORDS["cluster"], premium)
    assert not found_keys(REPLY_WORDS["cluster"], premium)
    assert found_keys("lemming", premium) == {f"discussion:{opening.thread_id}"}
    assert found_keys("narval", premium) == {f"discussion_reply:{reply.pk}"}
    assert SearchDocument.objects.get(key=f"discussion_reply:{reply.pk}").title == "Re: Nouveau titre"


def test_a_group_made_private_takes_its_documents_along(people, spaces, conversations):
    opening, reply = conversations["thematic"]
    group = spaces["thematic"].group.specific
    basic = Viewer(people["basic"])
    assert found_keys(THREAD_WORDS["thematic"], basic)
    group.visibility = "private"
    group.save_revision().publish()
    for key in (f"discussion:{opening.thread_id}", f"discussion_reply:{reply.pk}"):
        doc = SearchDocument.objects.get(key=key)
        assert (doc.know, doc.read, doc.group_id) == ("group", "group", group.pk)
    assert not found_keys(THREAD_WORDS["thematic"], basic)
    assert not found_keys(REPLY_WORDS["thematic"], Viewer(people["outsider"]))
    assert found_keys(REPLY_WORDS["thematic"], Viewer(people["member"])) == {f"discussion_reply:{reply.pk}"}
    # And back: readable by every member again.
    group.visibility = "members"
    group.save_revision().publish()
    assert found_keys(THREAD_WORDS["thematic"], basic)


def test_space_audience_changed_rewrites_every_document_in_a_few_queries(
    people, spaces, conversations, django_assert_max_num_queries
):
    space = spaces["thematic"]
    for n in range(5):
        answer(people["member"], conversations["thematic"][0].thread, text=f"Encore {n}.")
    space.know, space.read, space.audience_group_id = "group", "group", space.group_id
    with django_assert_max_num_queries(8):
        discussion_search.space_audience_changed(space)
    keys = SearchDocument.objects.filter(section="discussions", group_id=space.group_id, read="group")
    assert keys.filter(key__startswith="discussion_reply:").count() == 6


def test_an_unpublished_group_takes_its_documents_away_and_brings_them_back(people, spaces, conversations):
    opening, reply = conversations["cluster"]
    group = spaces["cluster"].group.specific
    staff = Viewer(people["staff"])
    group.unpublish()
    keys = [f"discussion:{opening.thread_id}", f"discussion_reply:{reply.pk}"]
    assert not SearchDocument.objects.filter(key__in=keys).exists()
    assert not found_keys(REPLY_WORDS["cluster"], staff)
    group.refresh_from_db()
    group.title = "Sécurité renommée"
    group.save_revision().publish()
    assert found_keys(REPLY_WORDS["cluster"], staff) == {f"discussion_reply:{reply.pk}"}
    doc = SearchDocument.objects.get(key=f"discussion:{opening.thread_id}")
    assert doc.teaser == "Sécurité renommée" and doc.read == "premium"


def test_a_renamed_group_renames_its_documents_teaser(spaces, conversations):
    opening, reply = conversations["private"]
    group = spaces["private"].group.specific
    group.title = "Conseil renommé"
    group.save_revision().publish()
    for key in (f"discussion:{opening.thread_id}", f"discussion_reply:{reply.pk}"):
        doc = SearchDocument.objects.get(key=key)
        assert doc.teaser == "Conseil renommé"
        assert {f.label for f in doc.facets.all()} == {"Conseil renommé"}


def test_a_moved_thread_takes_the_audience_of_its_new_space(people, spaces, conversations):
    opening, reply = conversations["club"]
    moderation.move(Viewer(people["staff"]), opening.thread, spaces["private"])
    for key in (f"discussion:{opening.thread_id}", f"discussion_reply:{reply.pk}"):
        assert SearchDocument.objects.get(key=key).read == "group"
    assert not found_keys(THREAD_WORDS["club"], Viewer(people["basic"]))
    assert not found_keys(REPLY_WORDS["club"], Viewer(people["outsider"]))
    assert found_keys(REPLY_WORDS["club"], Viewer(people["member"])) == {f"discussion_reply:{reply.pk}"}


def test_a_rebuild_writes_the_same_documents(conversations, django_assert_max_num_queries):
    before = dict(SearchDocument.objects.filter(section="discussions").values_list("key", "body"))
    SearchDocument.objects.filter(section="discussions").delete()
    index.store_all()
    after = dict(SearchDocument.objects.filter(section="discussions").values_list("key", "body"))
    assert after == before and len(after) == 8


def test_the_rebuilds_querysets_are_cheap(conversations, django_assert_max_num_queries):
    for indexer in (registry.indexer_for_kind("discussion"), registry.indexer_for_kind("discussion_reply")):
        with django_assert_max_num_queries(3):
            built = [indexer.build(obj) for obj in indexer.queryset()]
        assert len([b for b in built if b]) == 4


def test_the_results_page_shows_a_discussion(client, people, conversations):
    client.force_login(people["member"])
    response = client.get(reverse("search:search"), {"q": THREAD_WORDS["private"]})
    assert response.status_code == 200
    assert reverse("discussions:thread", args=[conversations["private"][0].thread_id]) in response.content.decode()
    client.force_login(people["outsider"])
    response = client.get(reverse("search:search"), {"q": THREAD_WORDS["private"]})
    assert response.status_code == 200
    assert "Sujet private" not in response.content.decode()


# --- The same questions to Elasticsearch (run where ELASTICSEARCH_URL is set; skipped otherwise) ---------


@pytest.mark.elasticsearch
def test_elasticsearch_finds_only_what_each_viewer_reads(people, spaces, conversations, elasticsearch_engine):
    elasticsearch_engine.rebuild()
    for viewer_kind in ("outsider", "basic", "member", "anonymous"):
        viewer = viewer_of(people, viewer_kind)
        results = elasticsearch_engine.search(api_request(SHARED, viewer))
        assert results.engine == elasticsearch_engine.name
        readable = [kind for kind in conversations if viewer_kind in READERS[kind]]
        assert results.total == len(readable), viewer_kind
        wanted = {f"discussion:{conversations[k][0].thread_id}" for k in readable}
        assert {h.document.key for h in results.hits} == wanted


def api_request(text, viewer):
    from search.engines.base import SearchRequest
    from search.query import parse

    return SearchRequest(query=parse(text), viewer=viewer)


@pytest.fixture
def elasticsearch_engine(db, settings):
    """As tests/search/conftest.py's: a fresh alias of this test's own, dropped afterwards."""
    import uuid

    from search.engines.elastic import ElasticsearchEngine
    from tests.search.conftest import elasticsearch_url

    url = elasticsearch_url()
    settings.ELASTICSEARCH_URL = url
    settings.ELASTICSEARCH_SEARCH_INDEX = f"cercle-search-test-{uuid.uuid4().hex[:12]}"
    engine = ElasticsearchEngine(url)
    yield engine
    engine.drop()
