"""The PostgreSQL engine on its own: its French matching, the policy inside its query, ranking, facets,
paging, hostile input, and the trigger that keeps the vectors (search/engines/postgres.py, migration 0004).

What every engine must do is in the contract suite; these tests are about what only PostgreSQL has, so
they are skipped on any other database.
"""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from members.access import Viewer
from members.models import Audience
from search.engines.base import SearchRequest
from search.models import SearchDocument, SearchFacet
from search.query import parse
from tests.factories.members import make_member, make_staff

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's own engine: run with DATABASE_URL=postgres://…"
    ),
]


def engine():
    from search.engines.postgres import PostgresEngine

    return PostgresEngine()


def anonymous():
    from django.contrib.auth.models import AnonymousUser

    return Viewer(AnonymousUser())


_keys = iter(range(1, 10**6))


def document(
    title,
    teaser="",
    body="",
    *,
    know=Audience.PUBLIC,
    read=None,
    kind="article",
    section="knowledge",
    date=None,
    **fields,
):
    pk = next(_keys)
    return SearchDocument.objects.create(
        key=f"test:{pk}",
        kind=kind,
        object_id=pk,
        url=f"/test/{pk}/",
        title=title,
        teaser=teaser,
        body=body,
        section=section,
        know=know,
        read=read or know,
        date=date or timezone.now(),
        **fields,
    )


def search(text, viewer, **request):
    return engine().search(SearchRequest(query=parse(text), viewer=viewer, **request))


def titles(results):
    return [hit.document.title for hit in results.hits]


# ---------------------------------------------------------------------------------------------
# French matching
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, text",
    [
        ("securite", "La sécurité des systèmes"),
        ("Sécurité", "la securite des systemes"),
        ("réseaux", "Le réseau de la club"),
        ("réseau", "Des réseaux privés"),
        ("l'entreprise", "Une entreprise du numérique"),
        ("entreprise", "Au cœur de l'entreprise"),
        ("entreprise", "Au cœur de l’entreprise"),
        ("développer", "Le développement durable"),
        ("numériq", "La transformation numérique"),
        ("cyber", "La cyber-sécurité"),
        ("sécurité", "La cyber-sécurité"),
        ("nationaux", "Un enjeu national"),
        ("2024", "Le bilan 2024"),
    ],
)
def test_french_matching(query, text):
    document(text)
    document("Rien à voir", "Un autre sujet")
    assert titles(search(query, anonymous())) == [text]


def test_a_phrase_needs_its_words_in_order():
    document("La sécurité des réseaux")
    document("Des réseaux sans sécurité")
    assert titles(search('"sécurité des réseaux"', anonymous())) == ["La sécurité des réseaux"]
    assert len(search("sécurité réseaux", anonymous()).hits) == 2


def test_a_phrase_does_not_run_from_one_field_into_the_next():
    document("Guide de la sécurité", teaser="Réseaux et systèmes", body="Réseaux privés")
    assert search('"sécurité réseaux"', anonymous()).hits == []
    assert len(search("sécurité réseaux", anonymous()).hits) == 1


def test_every_word_is_required():
    document("La sécurité des réseaux")
    document("La sécurité au travail")
    assert titles(search("sécurité réseaux", anonymous())) == ["La sécurité des réseaux"]


def test_stop_words_are_indexed_when_they_are_all_there_is():
    document("Le club")
    assert titles(search("le", anonymous())) == ["Le club"]


# ---------------------------------------------------------------------------------------------
# The policy inside the query
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def premium_article():
    return document(
        "Article de veille",
        "Un résumé pour tous",
        "Le corps parle de cryptographie post-quantique en détail.",
        know=Audience.MEMBERS,
        read=Audience.PREMIUM,
    )


def test_a_word_only_in_a_premium_body_is_not_found_by_a_basic_member(premium_article):
    basic = Viewer(make_member("basic"))
    results = search("cryptographie", basic)
    assert results.hits == [] and results.total == 0 and results.facets == {}


def test_a_basic_member_finds_the_premium_article_by_its_teaser_without_the_body(premium_article):
    basic = Viewer(make_member("basic"))
    results = search("résumé", basic)
    [hit] = results.hits
    assert hit.document.pk == premium_article.pk and hit.readable is False
    assert "<mark>résumé</mark>" in hit.snippet
    assert "cryptographie" not in hit.snippet and "corps" not in hit.snippet


def test_a_basic_member_gets_no_snippet_from_the_body_even_when_the_body_matches_too(premium_article):
    premium_article.body += " Un résumé du corps réservé."
    premium_article.save()
    [hit] = search("résumé", Viewer(make_member("basic"))).hits
    assert "réservé" not in hit.snippet and "corps" not in hit.snippet


def test_a_premium_member_finds_it_by_its_body_with_a_snippet_from_the_body(premium_article):
    [hit] = search("cryptographie", Viewer(make_member("premium"))).hits
    assert hit.readable is True
    assert "<mark>cryptographie</mark> post-quantique" in hit.snippet


def test_visitors_know_nothing_of_a_members_article(premium_article):
    assert search("veille", anonymous()).hits == []
    assert titles(search("veille", Viewer(make_member("basic")))) == ["Article de veille"]


def test_a_group_note_is_found_by_its_group_and_staff_only():
    document("Note du groupe", body="compte rendu confidentiel", know=Audience.GROUP, group_id=987654)
    assert search("confidentiel", Viewer(make_member("premium"))).hits == []
    staff = Viewer(make_staff())
    assert titles(search("confidentiel", staff)) == ["Note du groupe"]


def test_titles_only_matches_the_title_alone(premium_article):
    document("Cryptographie appliquée", "Un résumé")
    premium = Viewer(make_member("premium"))
    request = SearchRequest(query=parse("cryptographie"), viewer=premium, with_facets=False)
    assert titles(engine().search(request, titles_only=True)) == ["Cryptographie appliquée"]
    assert [s["title"] for s in engine().autocomplete("crypto", premium)] == ["Cryptographie appliquée"]
    assert engine().autocomplete("résumé", premium) == []


# ---------------------------------------------------------------------------------------------
# Ranking, sorting, paging, facets
# ---------------------------------------------------------------------------------------------


def test_a_title_match_ranks_above_a_teaser_match_above_a_body_match():
    old = timezone.now() - datetime.timedelta(days=300)
    document("Rapport annuel", body="Un texte sur la gouvernance du club")  # the newest
    document("Gouvernance des données", body="Un texte", date=old)
    document("Charte", teaser="La gouvernance du club", date=old)
    results = search("gouvernance", anonymous())
    assert titles(results) == ["Gouvernance des données", "Charte", "Rapport annuel"]
    assert results.hits[0].score > results.hits[1].score > results.hits[2].score
    by_date = search("gouvernance", anonymous(), sort="date")
    assert titles(by_date)[0] == "Rapport annuel"


def test_a_title_with_every_word_outranks_a_body_full_of_them():
    document("Rapport annuel", body="gouvernance " * 50)
    document("La gouvernance", date=timezone.now() - datetime.timedelta(days=300))
    assert titles(search("gouvernance", anonymous())) == ["La gouvernance", "Rapport annuel"]


def test_paging_keeps_the_total():
    for n in range(7):
        document(f"Fiche {n}", body="interopérabilité", date=timezone.now() - datetime.timedelta(days=n))
    pages = [search("interopérabilité", anonymous(), per_page=3, page=p) for p in (1, 2, 3, 4)]
    assert [r.total for r in pages] == [7, 7, 7, 7]
    assert [len(r.hits) for r in pages] == [3, 3, 1, 0]
    seen = [t for r in pages for t in titles(r)]
    assert sorted(seen) == sorted(f"Fiche {n}" for n in range(7))


def test_facets_count_only_what_the_viewer_may_match(premium_article):
    guide = document("Guide cryptographie", kind="guide", section="knowledge")
    SearchFacet.objects.create(document=guide, facet="topic", value="crypto", label="Cryptographie")
    SearchFacet.objects.create(document=premium_article, facet="topic", value="crypto", label="Cryptographie")
    basic = search("cryptographie", Viewer(make_member("basic")))
    assert basic.total == 1
    assert basic.facets["kind"][0][0] == "guide" and basic.facets["kind"][0][2] == 1
    assert basic.facets["topic"] == [("crypto", "Cryptographie", 1)]
    premium = search("cryptographie", Viewer(make_member("premium")))
    assert premium.total == 2
    assert premium.facets["topic"] == [("crypto", "Cryptographie", 2)]
    filtered = search("cryptographie", Viewer(make_member("premium")), filters={"kind": "guide"})
    assert titles(filtered) == ["Guide cryptographie"]


# ---------------------------------------------------------------------------------------------
# Hostile input, the trigger, the rebuild
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        '"',
        '""',
        "'",
        "''",
        "sécurité'",
        "(",
        ")",
        "((sécurité",
        "[réseau]",
        "{x}",
        "sécurité AND réseau",
        "OR",
        "NOT sécurité",
        "sécurité & | ! <-> réseau",
        "*",
        "sécu*",
        "~réseau",
        "réseau:*",
        "a:A",
        "title:sécurité",
        "\x00",
        "sécu\x00rité",
        "\\",
        "é" * 5000,
        "a " * 2500,
        '"sécurité',
        'sécurité des "réseaux',
        "ª",
        "x²",
        "🔒 sécurité",
        "!!!",
        "-",
        "'; DROP TABLE x; --",
    ],
)
def test_hostile_input_never_raises(text):
    document("La sécurité des réseaux", "Un résumé", "Le corps")
    for viewer in (anonymous(), Viewer(make_member("basic"))):
        results = search(text, viewer)
        assert results.total == len(results.hits)
        engine().autocomplete(text, viewer)


def test_the_trigger_follows_changes_in_the_same_transaction():
    doc = document("Ancien titre")
    doc.title = "Nouveau titre"
    doc.save()
    assert titles(search("nouveau", anonymous())) == ["Nouveau titre"]
    assert search("ancien", anonymous()).hits == []
    SearchDocument.objects.filter(pk=doc.pk).update(body="biodiversité")
    assert titles(search("biodiversite", anonymous())) == ["Nouveau titre"]
    doc.delete()
    assert search("nouveau", anonymous()).hits == []


def test_rebuild_recomputes_the_vectors():
    document("Sécurité des réseaux")
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE cercle_search_searchdocument DISABLE TRIGGER cercle_search_vectors")
        cursor.execute("UPDATE cercle_search_searchdocument SET search_all = NULL, search_teaser = NULL")
        cursor.execute("ALTER TABLE cercle_search_searchdocument ENABLE TRIGGER cercle_search_vectors")
    assert search("sécurité", anonymous()).hits == []
    engine().rebuild()
    assert titles(search("sécurité", anonymous())) == ["Sécurité des réseaux"]


def test_a_huge_body_is_indexed_up_to_its_limit():
    words = " ".join(f"mot{n}" for n in range(60_000))
    document("Gros document", body=words + " lointain")
    assert titles(search("mot12", anonymous())) == ["Gros document"]
