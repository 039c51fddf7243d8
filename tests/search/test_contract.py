"""The engine contract: what every search engine answers, the same on SQLite, PostgreSQL and Elasticsearch.

Written against search documents made directly (tests/factories/search.py), so it proves the engines,
not the indexers. The `engine` fixture (tests/search/conftest.py) runs each test on the database's own
engine and, when ELASTICSEARCH_URL is set, on Elasticsearch.

The access policy is inside the engine: a document the viewer may not know is neither found, nor
counted in the total or the facets; a word only in the body of a document the viewer may only know
(a premium article for a basic member) finds nothing, and no snippet is cut from that body.
"""

import types

import pytest

from members import roles
from members.models import Audience
from search.engines.base import SearchRequest
from search.models import SearchDocument
from search.query import parse
from tests.factories.search import days_ago, make_document, viewer

# Words that appear in one place only, so a hit can only come from that place.
BODY_ONLY = "zibeline"  # in the bodies of the premium article, the premium cluster and the premium file
PREMIUM_TITLE = "quantique"
NOTE_TITLE = "ornithorynque"  # the private group's note, title
NOTE_BODY = "pangolin"  # the private group's note, body
FILE_BODY = "xylophage"  # only in the text of the watch's premium file and the knowledge base's


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """People of every kind and a small set of search documents, built once for the module.

    Built in a transaction that stays open for the module and is rolled back at its end (as
    `shared_demo` does); each test runs in a savepoint inside it."""
    from django.db import transaction

    from tests.factories.home import make_site
    from tests.factories.knowledge import TechWatchIndexPageFactory
    from tests.factories.members import make_member, make_staff
    from tests.factories.working_groups import WorkingGroupIndexPageFactory, make_group

    with django_db_blocker.unblock(), transaction.atomic():
        home = make_site()
        groups = WorkingGroupIndexPageFactory(parent=home)
        watch = TechWatchIndexPageFactory(parent=home)  # its editors get the watch's pages and collection
        people = {
            "anonymous": None,
            "basic": make_member("basic"),
            "premium": make_member("premium"),
            "expired": make_member("premium", expired=True),
            "unsigned": make_member("premium", signed=False),
            "insider": make_member("basic"),
            "editor": make_member("basic", roles_=[roles.TECHWATCH_EDITORS]),
            "staff": make_staff(),
        }
        hermine = make_group(groups, visibility="private", title="Hermine", members=[people["insider"]])
        from wagtail.models import Collection

        other_collection = Collection.get_first_root_node().add_child(name="Autre collection")
        # Collections are kept in name order: adding one may renumber the others' paths.
        other_collection.refresh_from_db()
        watch_collection = Collection.objects.get(name="Veille technologique")
        # Only the rows below: whatever the apps' indexers made of the pages and people above goes.
        SearchDocument.objects.all().delete()
        w = types.SimpleNamespace(
            viewers={name: viewer(user) for name, user in people.items()},
            group=hermine,
            watch=watch,
            docs={},
        )

        def doc(key, title, **fields):
            w.docs[key] = make_document(title, key=key, **fields)

        # French matching.
        doc(
            "securite",
            "Sécurité des réseaux d'entreprise",
            teaser="Un guide pour les entreprises.",
            body="Les pare-feux protègent le réseau de l'entreprise.",
            date=days_ago(3),
        )
        # The policy: a premium article (teaser for members), a premium cluster page outside the watch, a
        # private group's note, a premium file of the watch and one of another collection.
        doc(
            "premium-article",
            f"Ordinateur {PREMIUM_TITLE} et cryptographie",
            teaser="Résumé pour tous les membres. Source : Gartner.",
            body=f"Analyse réservée aux membres premium: la {BODY_ONLY} et les qubits.",
            kind="watch_article",
            section="watch",
            know=Audience.MEMBERS,
            read=Audience.PREMIUM,
            page_path=watch.path + "0001",
            date=days_ago(2),
        )
        doc(
            "premium-cluster",
            "Grappe sécurité",
            teaser="La grappe des spécialistes.",
            body=f"Travaux de la grappe sur la {BODY_ONLY}.",
            kind="working_group",
            section="groups",
            know=Audience.MEMBERS,
            read=Audience.PREMIUM,
            page_path=groups.path + "0099",
            date=days_ago(40),
        )
        doc(
            "group-note",
            f"Réunion {NOTE_TITLE} du bureau",
            teaser="Notes du groupe Hermine.",
            body=f"Décision : le {NOTE_BODY} reste confidentiel.",
            kind="meeting_note",
            section="groups",
            know=Audience.GROUP,
            read=Audience.GROUP,
            group_id=hermine.pk,
            page_path=hermine.path + "0001",
            facets=[("group", hermine.pk, "Hermine")],
            date=days_ago(5),
        )
        # Another private group's note: belonging to a group opens that group, not every private one.
        doc(
            "other-group-note",
            f"Réunion {NOTE_TITLE} d'un autre groupe",
            body=f"Le {NOTE_BODY} d'ailleurs.",
            kind="meeting_note",
            section="groups",
            know=Audience.GROUP,
            group_id=hermine.pk + 1000,
        )
        doc(
            "watch-file",
            "Rapport annuel de veille",
            body=f"Le texte du fichier: {FILE_BODY}.",
            kind="document",
            section="documents",
            language="",
            know=Audience.MEMBERS,
            read=Audience.PREMIUM,
            collection_path=watch_collection.path,
        )
        doc(
            "other-file",
            "Rapport annuel de la base",
            body=f"Le texte du fichier: {FILE_BODY}.",
            kind="document",
            section="documents",
            language="",
            know=Audience.MEMBERS,
            read=Audience.PREMIUM,
            collection_path=other_collection.path,
        )
        doc("members-guide", "Guide des membres", body="Réservé aux membres.", know=Audience.MEMBERS)
        # Ranking: the word in a title beats the word in a teaser, which beats the word in a body.
        doc("rank-body", "Une page quelconque", body="On y parle de pivot une seule fois, au milieu du texte.")
        doc("rank-title", "Le pivot", body="On y parle d'autre chose, au milieu du texte, une seule fois.")
        doc("rank-teaser", "Une autre page", teaser="Le pivot", body="On y parle d'autre chose, encore.")
        # Sorting by date (and a document without one).
        for key, days in [("old", 300), ("new", 1), ("middle", 30)]:
            doc(f"chrono-{key}", f"Chronologie {key}", date=days_ago(days))
        doc("chrono-undated", "Chronologie sans date chronologie chronologie", date=None)
        # Paging.
        for n in range(25):
            doc(f"page-{n:02}", f"Pagination numéro {n}", date=days_ago(n + 1))
        # Facets and filters: kinds, sections, clusters, topics, groups, periods.
        facet_docs = [
            ("f-watch-1", "watch_article", "watch", [("topic", "ia", "IA"), ("cluster", "11", "Data")], 2),
            ("f-watch-2", "watch_article", "watch", [("topic", "ia", "IA"), ("topic", "cloud", "Cloud")], 20),
            ("f-kb-1", "knowledge_article", "knowledge", [("topic", "cloud", "Cloud"), ("cluster", "11", "Data")], 200),
            ("f-kb-2", "knowledge_article", "knowledge", [("cluster", "12", "Web")], 800),
        ]
        for key, kind, section, facets, days in facet_docs:
            doc(key, f"Facette {key}", kind=kind, section=section, facets=facets, date=days_ago(days))
        doc(
            "f-private",
            "Facette du groupe Hermine",
            kind="meeting_note",
            section="groups",
            know=Audience.GROUP,
            group_id=hermine.pk,
            facets=[("group", hermine.pk, "Hermine"), ("topic", "ia", "IA")],
            date=days_ago(1),
        )
        # The language rule: one page translated into English, one left in French only.
        doc("lang-fr", "Politique linguistique", language="fr", translation_key="tk-translated")
        doc("lang-en", "Language policy linguistique", language="en", translation_key="tk-translated")
        doc("lang-fr-only", "Charte linguistique", language="fr", translation_key="tk-french-only")
        doc("lang-none", "Fichier linguistique", language="", kind="document", section="documents")
        yield w
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _synced(db, world, engine):
    """Each test runs inside the module's transaction (the `db` savepoint), on an engine in step with the rows
    (tests/search/conftest.py: for Elasticsearch, an index of the test's own filled from them)."""
    engine.sync()


def find(engine, world, text, who, **options):
    return engine.search(SearchRequest(query=parse(text), viewer=world.viewers[who], **options))


def keys(results):
    return [hit.document.key for hit in results.hits]


def hit(results, key):
    return next(h for h in results.hits if h.document.key == key)


def counts(results, facet):
    return {value: n for value, _label, n in results.facets.get(facet, [])}


# --- French matching -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["securite", "sécurité", "SÉCURITÉ", "réseaux", "reseau", "réseau", "l'entreprise", "entreprise", "entreprises"],
)
def test_french_forms_find_the_page(engine, world, typed):
    assert "securite" in keys(find(engine, world, typed, "anonymous"))


def test_every_word_is_required(engine, world):
    assert keys(find(engine, world, "sécurité réseaux", "anonymous")) == ["securite"]
    assert keys(find(engine, world, "sécurité pangolin", "staff")) == []


@pytest.mark.real_elasticsearch(reason="noida-db's analyzers ignore the elision filter: d'entreprise stays one word")
def test_a_phrase_with_an_elision_is_found(engine, world):
    assert keys(find(engine, world, '"réseaux d\'entreprise"', "anonymous")) == ["securite"]


def test_a_phrase_needs_its_words_together(engine, world):
    assert keys(find(engine, world, '"entreprise réseaux"', "anonymous")) == []


def test_nothing_found_is_an_empty_answer(engine, world):
    results = find(engine, world, "introuvable", "staff")
    assert results.hits == [] and results.total == 0


# --- Ranking, sorting, paging ----------------------------------------------------------------------


def test_a_title_match_ranks_before_a_teaser_match_before_a_body_match(engine, world):
    assert keys(find(engine, world, "pivot", "anonymous")) == ["rank-title", "rank-teaser", "rank-body"]


def test_sort_by_date_puts_the_newest_first_and_the_undated_last(engine, world):
    results = find(engine, world, "chronologie", "anonymous", sort="date")
    assert keys(results) == ["chrono-new", "chrono-middle", "chrono-old", "chrono-undated"]


def test_relevance_is_not_date(engine, world):
    # The undated document says "chronologie" three times in its title: first by relevance.
    assert keys(find(engine, world, "chronologie", "anonymous"))[0] == "chrono-undated"


def test_page_two_continues_page_one_and_the_total_is_right(engine, world):
    pages = [find(engine, world, "pagination", "anonymous", sort="date", page=n, per_page=10) for n in (1, 2, 3)]
    assert [len(p.hits) for p in pages] == [10, 10, 5]
    assert {p.total for p in pages} == {25}
    seen = [key for p in pages for key in keys(p)]
    assert seen == [f"page-{n:02}" for n in range(25)]


def test_a_page_beyond_the_last_is_empty_with_the_total(engine, world):
    results = find(engine, world, "pagination", "anonymous", page=4, per_page=10)
    assert results.hits == [] and results.total == 25


def test_paging_by_relevance_gives_each_match_once(engine, world):
    pages = [find(engine, world, "pagination", "anonymous", page=n, per_page=7) for n in (1, 2, 3, 4)]
    seen = [key for p in pages for key in keys(p)]
    assert sorted(seen) == [f"page-{n:02}" for n in range(25)]


# --- Filters and facets ----------------------------------------------------------------------------


def test_facet_counts_cover_every_match(engine, world):
    results = find(engine, world, "facette", "premium")
    assert results.total == 4
    assert counts(results, "kind") == {"watch_article": 2, "knowledge_article": 2}
    assert counts(results, "section") == {"watch": 2, "knowledge": 2}
    assert counts(results, "topic") == {"ia": 2, "cloud": 2}
    assert counts(results, "cluster") == {"11": 2, "12": 1}
    assert counts(results, "group") == {}
    assert counts(results, "period") == {"week": 1, "month": 2, "year": 3}


def test_facets_count_all_matches_not_only_the_page_shown(engine, world):
    results = find(engine, world, "pagination", "anonymous", per_page=5)
    assert len(results.hits) == 5
    assert counts(results, "kind") == {"knowledge_article": 25}


def test_facet_labels_come_with_the_counts(engine, world):
    results = find(engine, world, "facette", "premium")
    assert ("ia", "IA", 2) in results.facets["topic"]
    assert ("12", "Web", 1) in results.facets["cluster"]


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"kind": "watch_article"}, {"f-watch-1", "f-watch-2"}),
        ({"section": "knowledge"}, {"f-kb-1", "f-kb-2"}),
        ({"topic": "cloud"}, {"f-watch-2", "f-kb-1"}),
        ({"cluster": "11"}, {"f-watch-1", "f-kb-1"}),
        ({"cluster": "11", "topic": "cloud"}, {"f-kb-1"}),
        ({"period": "week"}, {"f-watch-1"}),
        ({"period": "month"}, {"f-watch-1", "f-watch-2"}),
        ({"period": "year"}, {"f-watch-1", "f-watch-2", "f-kb-1"}),
        ({"kind": "watch_article", "period": "week"}, {"f-watch-1"}),
        ({"kind": "event"}, set()),
        ({"period": "century"}, {"f-watch-1", "f-watch-2", "f-kb-1", "f-kb-2"}),  # unknown: ignored
    ],
)
def test_filters_keep_only_what_they_name(engine, world, filters, expected):
    results = find(engine, world, "facette", "premium", filters=filters)
    assert set(keys(results)) == expected
    assert results.total == len(expected)


def test_a_filter_narrows_the_facet_counts_too(engine, world):
    results = find(engine, world, "facette", "premium", filters={"topic": "cloud"})
    assert counts(results, "kind") == {"watch_article": 1, "knowledge_article": 1}
    assert counts(results, "cluster") == {"11": 1}


def test_the_group_filter_and_facet_for_the_groups_members(engine, world):
    group = str(world.group.pk)
    results = find(engine, world, "facette", "insider")
    assert results.total == 5
    assert counts(results, "group") == {group: 1}
    assert counts(results, "topic") == {"ia": 3, "cloud": 2}
    filtered = find(engine, world, "facette", "insider", filters={"group": group})
    assert keys(filtered) == ["f-private"]


@pytest.mark.parametrize("who", ["anonymous", "basic", "premium", "expired", "unsigned", "editor"])
def test_a_private_group_is_absent_from_the_total_and_every_facet_of_outsiders(engine, world, who):
    results = find(engine, world, "facette", who)
    assert "f-private" not in keys(results)
    assert counts(results, "group") == {}
    assert "Hermine" not in [label for _v, label, _n in results.facets.get("group", [])]
    assert counts(results, "topic") == {"ia": 2, "cloud": 2}
    assert results.total == 4
    filtered = find(engine, world, "facette", who, filters={"group": str(world.group.pk)})
    assert filtered.hits == [] and filtered.total == 0


# --- The policy inside the engine ------------------------------------------------------------------

# Who may find what, from DESIGN.md's table of audiences (members: a valid membership and the charter
# signed; an expired member or one who has not signed the charter is a visitor; staff see everything;
# an editor of the watch reads what is under the watch's pages and in its collection).
KNOW = {
    "securite": {"anonymous", "basic", "premium", "expired", "unsigned", "insider", "editor", "staff"},
    "members-guide": {"basic", "premium", "insider", "editor", "staff"},
    "premium-article": {"basic", "premium", "insider", "editor", "staff"},
    "premium-cluster": {"basic", "premium", "insider", "editor", "staff"},
    "group-note": {"insider", "staff"},
    "other-group-note": {"staff"},
    "watch-file": {"basic", "premium", "insider", "editor", "staff"},
    "other-file": {"basic", "premium", "insider", "editor", "staff"},
}
READ = {
    "premium-article": {"premium", "editor", "staff"},
    "premium-cluster": {"premium", "staff"},
    "group-note": {"insider", "staff"},
    "other-group-note": {"staff"},
    "watch-file": {"premium", "editor", "staff"},
    "other-file": {"premium", "staff"},
}
VIEWERS = ["anonymous", "basic", "premium", "expired", "unsigned", "insider", "editor", "staff"]


@pytest.mark.parametrize("who", VIEWERS)
def test_a_word_only_in_premium_bodies_finds_only_what_the_viewer_may_read(engine, world, who):
    expected = {key for key in ("premium-article", "premium-cluster") if who in READ[key]}
    results = find(engine, world, BODY_ONLY, who)
    assert set(keys(results)) == expected
    assert results.total == len(expected)


@pytest.mark.parametrize("who", VIEWERS)
def test_a_word_only_in_files_finds_the_files_the_viewer_may_download(engine, world, who):
    expected = {key for key in ("watch-file", "other-file") if who in READ[key]}
    assert set(keys(find(engine, world, FILE_BODY, who))) == expected


@pytest.mark.parametrize("who", VIEWERS)
def test_a_title_word_finds_what_the_viewer_may_know(engine, world, who):
    assert ("premium-article" in keys(find(engine, world, PREMIUM_TITLE, who))) == (who in KNOW["premium-article"])
    assert ("group-note" in keys(find(engine, world, NOTE_TITLE, who))) == (who in KNOW["group-note"])
    assert ("other-group-note" in keys(find(engine, world, NOTE_TITLE, who))) == (who in KNOW["other-group-note"])
    assert ("members-guide" in keys(find(engine, world, "guide membres", who))) == (who in KNOW["members-guide"])
    assert ("watch-file" in keys(find(engine, world, "rapport annuel veille", who))) == (who in KNOW["watch-file"])


@pytest.mark.parametrize("who", VIEWERS)
def test_a_private_groups_body_word_finds_it_only_for_its_members(engine, world, who):
    results = find(engine, world, NOTE_BODY, who)
    expected = {key for key in ("group-note", "other-group-note") if who in READ[key]}
    assert set(keys(results)) == expected
    assert results.total == len(expected)


@pytest.mark.parametrize("who", ["basic", "insider"])
def test_a_teaser_only_viewer_gets_a_snippet_without_the_body(engine, world, who):
    results = find(engine, world, PREMIUM_TITLE, who)
    found = hit(results, "premium-article")
    assert not found.readable
    body = world.docs["premium-article"].body
    for word in ("réservée", BODY_ONLY, "qubits"):
        assert word in body and word not in str(found.snippet)


def test_a_teaser_snippet_comes_from_the_teaser(engine, world):
    found = hit(find(engine, world, "résumé gartner", "basic"), "premium-article")
    assert not found.readable
    assert "<mark>" in str(found.snippet)
    assert "Gartner" in str(found.snippet) and BODY_ONLY not in str(found.snippet)


@pytest.mark.parametrize("who", ["premium", "editor", "staff"])
def test_a_reader_gets_a_snippet_from_the_body_with_the_word_marked(engine, world, who):
    found = hit(find(engine, world, BODY_ONLY, who), "premium-article")
    assert found.readable
    assert f"<mark>{BODY_ONLY}</mark>" in str(found.snippet)


def test_snippets_are_escaped_html(engine, world):
    make_document("Balise <script>alert(1)</script> échappée", body="<b>gras</b> échappée", key="html")
    engine.sync()
    found = hit(find(engine, world, "échappée", "anonymous"), "html")
    assert "<script>" not in str(found.snippet) and "<b>" not in str(found.snippet)


def test_staff_see_everything(engine, world):
    for word, key in [(NOTE_BODY, "group-note"), (BODY_ONLY, "premium-cluster"), (FILE_BODY, "other-file")]:
        found = hit(find(engine, world, word, "staff"), key)
        assert found.readable


def test_the_editors_reach_is_the_watch_not_the_premium_tier(engine, world):
    # A basic-tier editor reads the watch's premium article and file, not a premium cluster.
    assert set(keys(find(engine, world, BODY_ONLY, "editor"))) == {"premium-article"}
    assert set(keys(find(engine, world, FILE_BODY, "editor"))) == {"watch-file"}
    assert hit(find(engine, world, "grappe", "editor"), "premium-cluster").readable is False


def test_readable_says_who_reads_in_full(engine, world):
    for who in VIEWERS:
        results = find(engine, world, PREMIUM_TITLE, who)
        if who in KNOW["premium-article"]:
            assert hit(results, "premium-article").readable == (who in READ["premium-article"]), who


@pytest.mark.parametrize("who", VIEWERS)
def test_the_total_counts_only_what_the_viewer_may_know(engine, world, who):
    results = find(engine, world, "rapport annuel", who, per_page=1)
    assert results.total == sum(who in KNOW[k] for k in ("watch-file", "other-file"))


# --- Autocomplete ----------------------------------------------------------------------------------


def suggested(engine, world, text, who, **options):
    return [s["title"] for s in engine.autocomplete(text, world.viewers[who], **options)]


@pytest.mark.parametrize("who", VIEWERS)
def test_autocomplete_suggests_only_titles_the_viewer_may_know(engine, world, who):
    note = world.docs["group-note"].title
    article = world.docs["premium-article"].title
    other = world.docs["other-group-note"].title
    assert (note in suggested(engine, world, NOTE_TITLE[:6], who)) == (who in KNOW["group-note"])
    assert (other in suggested(engine, world, NOTE_TITLE[:6], who)) == (who in KNOW["other-group-note"])
    assert (article in suggested(engine, world, PREMIUM_TITLE[:5], who)) == (who in KNOW["premium-article"])


@pytest.mark.parametrize("who", ["basic", "premium", "staff"])
def test_autocomplete_never_suggests_from_a_body(engine, world, who):
    assert suggested(engine, world, BODY_ONLY, who) == []
    assert suggested(engine, world, NOTE_BODY, who) == []


def test_autocomplete_completes_a_word_being_typed(engine, world):
    assert "Sécurité des réseaux d'entreprise" in suggested(engine, world, "sécu", "anonymous")
    assert "Sécurité des réseaux d'entreprise" in suggested(engine, world, "reseaux d'entr", "anonymous")


def test_autocomplete_gives_urls_and_keeps_to_the_limit(engine, world):
    suggestions = engine.autocomplete("pagination", world.viewers["anonymous"], limit=5)
    assert len(suggestions) == 5
    assert all(s["url"].startswith("/test/") for s in suggestions)


def test_autocomplete_of_nothing_is_nothing(engine, world):
    assert suggested(engine, world, "", "staff") == []
    assert suggested(engine, world, "* : ~", "staff") == []


# --- Languages -------------------------------------------------------------------------------------


def test_under_english_the_english_translation_replaces_the_french_page(engine, world):
    results = find(engine, world, "linguistique", "anonymous", language="en")
    assert set(keys(results)) == {"lang-en", "lang-fr-only", "lang-none"}
    assert results.total == 3


def test_under_french_the_french_page_is_found(engine, world):
    assert set(keys(find(engine, world, "linguistique", "anonymous", language="fr"))) == {
        "lang-fr",
        "lang-fr-only",
        "lang-none",
    }


def test_without_a_language_every_version_is_found(engine, world):
    assert {"lang-fr", "lang-en", "lang-fr-only"} <= set(keys(find(engine, world, "linguistique", "anonymous")))


def test_autocomplete_follows_the_language_rule(engine, world):
    titles = suggested(engine, world, "linguis", "anonymous", language="en")
    assert "Language policy linguistique" in titles and "Politique linguistique" not in titles


# --- Bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ['"', "AND", "sécurité OR", "NOT", "(sécurité", "sécurité*", "title:sécurité", "\x00", "a" * 5000, "-~^"]
)
def test_odd_queries_answer_without_error(engine, world, typed):
    results = find(engine, world, typed, "staff")
    assert results.total == len(results.hits) or results.total > len(results.hits)
    engine.autocomplete(typed, world.viewers["staff"])
