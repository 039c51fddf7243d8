"""What only the Elasticsearch engine does: its index behind an alias, its analyzers, its suggestions,
its policy filter's size, keeping its copy in step, and the database answering when it cannot.

These run when ELASTICSEARCH_URL names a server (noida-db in .ci/run's search leg); the fallback test
runs always, against an address where nothing listens.
"""

import json
import logging
import threading
import types

import pytest

from members.models import Audience
from search import api, policy
from search.engines.base import SearchRequest
from search.query import parse
from tests.factories.search import days_ago, make_document, viewer

pytestmark = pytest.mark.elasticsearch


def ask(engine, text, who=None, **fields):
    return engine.search(SearchRequest(query=parse(text), viewer=who or viewer(), **fields))


def keys(results):
    return [hit.document.key for hit in results.hits]


def test_a_reader_gets_a_body_snippet_a_teaser_reader_never_does(elasticsearch_engine):
    make_document(
        "Note sur le cloud",
        key="open",
        teaser="Un résumé",
        body="Le chiffrement homomorphe protège les données",
    )
    make_document(
        "Étude premium",
        key="premium",
        teaser="Pour les membres premium",
        body="Le chiffrement homomorphe dans la banque",
        know=Audience.PUBLIC,
        read=Audience.PREMIUM,
    )
    elasticsearch_engine.rebuild()

    # The word is only in the premium body: an anonymous visitor finds the open note alone.
    found = ask(elasticsearch_engine, "homomorphe")
    assert keys(found) == ["open"]
    assert found.total == 1
    assert "<mark>homomorphe</mark>" in found.hits[0].snippet
    assert found.hits[0].readable

    # A title word finds the premium study, shown with its teaser, never its body.
    found = ask(elasticsearch_engine, "étude")
    assert keys(found) == ["premium"]
    assert not found.hits[0].readable
    assert "banque" not in found.hits[0].snippet
    assert found.hits[0].snippet == "Pour les membres premium"


def test_the_policy_filter_is_a_few_clauses_whatever_the_number_of_groups(elasticsearch_engine):
    # A stand-in for a member of 500 working groups (policy.terms reads these five attributes): making
    # 500 real groups would prove nothing more about the query's size.
    many = types.SimpleNamespace(
        is_staff=False,
        audiences=frozenset({Audience.PUBLIC, Audience.MEMBERS}),
        group_ids=frozenset(range(1, 501)),
        edited_paths=("00010002",),
        edited_collection_paths=(),
    )
    make_document("Compte rendu du groupe", key="note", know=Audience.GROUP, group_id=499)
    make_document("Compte rendu d'un autre groupe", key="other", know=Audience.GROUP, group_id=501)
    make_document("Compte rendu édité", key="edited", know=Audience.STAFF, page_path="000100020005")
    elasticsearch_engine.rebuild()

    terms = policy.terms(many)
    request = SearchRequest(query=parse("compte rendu"), viewer=many)
    body = elasticsearch_engine._query(request, terms).to_dict()
    know_filter = body["bool"]["filter"][0]["bool"]["should"]
    # audiences, the groups (one terms clause with the 500 ids), the edited path: three clauses.
    assert len(know_filter) == 3
    assert json.dumps(body).count('"group_id"') == 2  # once for know, once for read

    found = ask(elasticsearch_engine, "compte rendu", many)
    assert sorted(keys(found)) == ["edited", "note"]


def test_french_plurals_and_accents_match(elasticsearch_engine):
    make_document("Les réseaux nationaux", key="reseaux", body="La sécurité des systèmes")
    elasticsearch_engine.rebuild()

    for text in ("réseau", "RESEAUX", "national", "securite", "sécurités"):
        assert keys(ask(elasticsearch_engine, text)) == ["reseaux"], text


def test_the_french_analyzer_folds_and_stems(elasticsearch_engine):
    elasticsearch_engine.rebuild()
    tokens = elasticsearch_engine.client.indices.analyze(
        index=elasticsearch_engine.alias, analyzer="cercle_french", text="Réseaux nationaux Sécurité"
    )["tokens"]
    assert [t["token"] for t in tokens] == ["reseau", "national", "securit"]


@pytest.mark.real_elasticsearch(reason="noida-db's analyzers ignore the elision filter (l'État stays l'etat)")
def test_the_french_analyzer_drops_elisions(elasticsearch_engine):
    make_document("L'État et l'informatique", key="etat")
    elasticsearch_engine.rebuild()
    tokens = elasticsearch_engine.client.indices.analyze(
        index=elasticsearch_engine.alias, analyzer="cercle_folded", text="L'État d'abord"
    )["tokens"]
    assert [t["token"] for t in tokens] == ["etat", "abord"]
    assert keys(ask(elasticsearch_engine, "état")) == ["etat"]
    assert keys(ask(elasticsearch_engine, "informatique")) == ["etat"]
    assert [s["title"] for s in elasticsearch_engine.autocomplete("info", viewer())] == ["L'État et l'informatique"]


def test_autocomplete_suggests_titles_the_viewer_may_know(elasticsearch_engine):
    make_document("Réseaux et entreprises", key="open")
    make_document("Réseaux du comité", key="staff", know=Audience.STAFF)
    make_document("Rencontre annuelle", key="other")
    elasticsearch_engine.rebuild()

    suggestions = elasticsearch_engine.autocomplete("rés", viewer())
    assert [s["title"] for s in suggestions] == ["Réseaux et entreprises"]
    assert suggestions[0]["url"].startswith("/test/")
    assert [s["title"] for s in elasticsearch_engine.autocomplete("RESEAUX ENTR", viewer())] == [
        "Réseaux et entreprises"
    ]
    assert elasticsearch_engine.autocomplete("comité", viewer()) == []
    for hostile in ('"', "*", "title:(", "AND OR NOT", "\x00", "x" * 5000, ""):
        assert isinstance(elasticsearch_engine.autocomplete(hostile, viewer()), list)


def test_hostile_queries_never_raise(elasticsearch_engine):
    make_document("Cloud souverain", key="cloud")
    elasticsearch_engine.rebuild()
    for hostile in ('cloud"', "cloud*", "cloud:", "(cloud", "cloud AND OR NOT", "cloud~", "\x00cloud", "cloud /[a"):
        assert keys(ask(elasticsearch_engine, hostile)) == ["cloud"], hostile
    # Every word is required, "title" included: no field syntax reaches the server.
    for nothing in ("title:cloud", "x" * 5000, "*", '"', "{}"):
        assert ask(elasticsearch_engine, nothing).total == 0, nothing


def test_a_rebuild_swaps_the_alias_while_searches_keep_answering(elasticsearch_engine):
    for number in range(30):
        make_document(f"Fiche cloud {number}", key=f"fiche-{number}")
    first = elasticsearch_engine.rebuild()
    client, alias = elasticsearch_engine.client, elasticsearch_engine.alias

    # Searches straight at the alias (no database in this thread) while three rebuilds run.
    answers, stop = [], threading.Event()

    def keep_searching():
        while not stop.is_set():
            answers.append(client.search(index=alias, query={"match": {"title": "cloud"}}, size=0)["hits"]["total"])

    searcher = threading.Thread(target=keep_searching)
    searcher.start()
    try:
        names = [elasticsearch_engine.rebuild() for _ in range(3)]
    finally:
        stop.set()
        searcher.join()

    assert answers and all(total["value"] == 30 for total in answers)
    assert list(client.indices.get_alias(name=alias)) == [names[-1]]
    assert not client.indices.exists(index=first)
    assert len(set([first, *names])) == 4


def test_updates_and_removals_follow_the_rows_and_the_language_rule(elasticsearch_engine):
    french = make_document("Guide du cloud", key="fr", language="fr", translation_key="guide")
    elasticsearch_engine.rebuild()
    # No English version yet: the French guide answers an English interface.
    assert keys(ask(elasticsearch_engine, "cloud", language="en")) == ["fr"]

    english = make_document("Cloud guide", key="en", language="en", translation_key="guide")
    elasticsearch_engine.index([english], refresh=True)
    assert keys(ask(elasticsearch_engine, "cloud", language="en")) == ["en"]
    assert keys(ask(elasticsearch_engine, "cloud", language="fr")) == ["fr"]

    french.title = "Guide de l'informatique en nuage"
    french.save()
    elasticsearch_engine.index([french], refresh=True)
    assert keys(ask(elasticsearch_engine, "nuage", language="fr")) == ["fr"]

    english.delete()
    elasticsearch_engine.remove(["en"], refresh=True)
    assert keys(ask(elasticsearch_engine, "guide", language="en")) == ["fr"]
    french.delete()
    elasticsearch_engine.remove(["fr", "never-indexed"], refresh=True)
    assert ask(elasticsearch_engine, "guide").total == 0


def test_facets_come_with_their_labels_and_the_filtered_counts(elasticsearch_engine):
    make_document(
        "Cloud et sécurité", key="a", date=days_ago(2), facets=[("cluster", "7", "Cybersécurité")]
    )
    make_document("Cloud public", key="b", date=days_ago(100), facets=[("cluster", "7", "Cybersécurité")])
    make_document("Cloud privé", key="c", facets=[("topic", "t1", "Infrastructure")])
    make_document("Cloud caché", key="d", know=Audience.STAFF, facets=[("cluster", "8", "Secret")])
    elasticsearch_engine.rebuild()

    found = ask(elasticsearch_engine, "cloud")
    assert found.total == 3
    assert found.facets["cluster"] == [("7", "Cybersécurité", 2)]
    assert found.facets["topic"] == [("t1", "Infrastructure", 1)]
    assert found.facets["period"] == [("week", "week", 1), ("month", "month", 1), ("year", "year", 2)]
    assert found.facets["kind"][0][2] == 3

    found = ask(elasticsearch_engine, "cloud", filters={"cluster": "7", "period": "month"})
    assert keys(found) == ["a"]
    assert found.facets["cluster"] == [("7", "Cybersécurité", 1)]


def test_paging_and_sorting_by_date(elasticsearch_engine):
    for number in range(5):
        make_document(f"Veille cloud {number}", key=f"v{number}", date=days_ago(number + 1))
    make_document("Veille cloud sans date", key="undated")
    elasticsearch_engine.rebuild()

    first = ask(elasticsearch_engine, "veille", sort="date", per_page=4)
    second = ask(elasticsearch_engine, "veille", sort="date", per_page=4, page=2)
    assert first.total == second.total == 6
    assert keys(first) == ["v0", "v1", "v2", "v3"]
    assert keys(second) == ["v4", "undated"]


@pytest.mark.django_db
def test_an_unreachable_server_leaves_the_database_answering(settings, caplog):
    # Port 9 (discard) has no listener here: the connection is refused at once.
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    make_document("Cloud souverain", key="cloud")

    with caplog.at_level(logging.WARNING, logger="search.api"):
        answer = api.search("cloud", viewer())
        suggestions = api.autocomplete("clou", viewer())

    assert answer.results.engine != "elasticsearch"
    assert [hit.document.key for hit in answer.results.hits] == ["cloud"]
    assert [s["title"] for s in suggestions] == ["Cloud souverain"]
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert any("elasticsearch did not answer" in r.getMessage() for r in warnings)
    assert any("elasticsearch could not suggest" in r.getMessage() for r in warnings)


def test_a_change_made_during_a_rebuild_reaches_the_new_copy_too(elasticsearch_engine):
    elasticsearch_engine.rebuild()
    client, alias = elasticsearch_engine.client, elasticsearch_engine.alias
    filling = elasticsearch_engine._new_index()  # what a rebuild running now is filling

    late = make_document("Publié pendant la reconstruction", key="late")
    elasticsearch_engine.index([late], refresh=True)
    client.indices.refresh(index=filling)
    assert client.count(index=alias)["count"] == 1
    assert client.count(index=filling)["count"] == 1

    late.delete()
    elasticsearch_engine.remove(["late"], refresh=True)
    client.indices.refresh(index=filling)
    assert client.count(index=filling)["count"] == 0
