"""The leak matrix: every kind of viewer × every kind of content × (a word of its title, a word only in its
body), through the real pages (/recherche/ and /recherche/suggestions/), on real pages, groups, files
and profiles made by the factories and indexed by the apps' own indexers.

The expected table (EXPECTED) is written here from DESIGN.md's access policy, not derived from the code
under test: who may *know* a thing finds it by its title and sees its teaser; only who may *read* it
finds it by a word of its body, and only they may see that word anywhere in the answer (a snippet, a
facet label, a suggestion).
"""

import pytest
from django.core.files.base import ContentFile

from members import roles

# One unique title word and one unique body word per content, unlike each other (so that the empty
# state's "did you mean" cannot turn one into the other), and one word shared by every title.
WORDS = {
    "public_page": ("albatros", "bergamote"),
    "members_page": ("cormoran", "dahlia"),
    "premium_article": ("epervier", "fenugrec"),
    "free_sample": ("goeland", "hysope"),
    "open_article": ("jacinthe", "kumquat"),
    "private_group": ("lagopede", "mandragore"),
    "group_note": ("narval", "origan"),
    "cluster": ("pelican", "quinoa"),
    "document": ("rossignol", "safran"),
    "group_file": ("tetras", "ulmaire"),
    "profile": ("vautourin", "wasabi"),  # the name; the bio, which the search never holds
}
SHARED = "matrice"
CONTENTS = list(WORDS)

EVERYONE = {"anonymous", "basic", "premium", "expired", "unsigned", "insider", "outsider", "lead", "editor", "staff"}
# A valid membership and the current charter signed (an expired member or one who has not signed is a
# visitor), and staff.
MEMBERS = {"basic", "premium", "insider", "outsider", "lead", "editor", "staff"}
PREMIUM = {"premium", "outsider", "staff"}
HERMINE = {"insider", "lead", "staff"}  # the private group's members, its lead, and staff
EDITOR = {"editor"}  # the technology watch's editor reads what is under the watch and in its collection
NOBODY = set()
VIEWERS = sorted(EVERYONE)

# content: (who finds it by its title, who finds it by a word of its body)
EXPECTED = {
    "public_page": (EVERYONE, EVERYONE),
    "members_page": (MEMBERS, MEMBERS),
    "premium_article": (MEMBERS, PREMIUM | EDITOR),  # members get the teaser
    "free_sample": (MEMBERS, MEMBERS),  # a watch article opened to every member
    "open_article": (EVERYONE, EVERYONE),  # a watch article opened to everyone
    "private_group": (HERMINE, HERMINE),
    "group_note": (HERMINE, HERMINE),
    "cluster": (MEMBERS, PREMIUM),  # members know the clusters exist; premium members enter
    "document": (PREMIUM | EDITOR, PREMIUM | EDITOR),  # a file of the watch's (premium) collection
    "group_file": (HERMINE, HERMINE),  # a file of the private group's collection
    "profile": (MEMBERS, NOBODY),  # members find people by name; nobody by what the search does not hold
}
KINDS = {
    "public_page": "page",
    "members_page": "page",
    "premium_article": "watch_article",
    "free_sample": "watch_article",
    "open_article": "watch_article",
    "private_group": "working_group",
    "group_note": "meeting_note",
    "cluster": "cluster",
    "document": "document",
    "group_file": "document",
}


def paragraph(text):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


@pytest.fixture(scope="module")
def club(django_db_setup, django_db_blocker, tmp_path_factory):
    """The club's content and people, built and indexed once for the module, in a transaction rolled back
    at its end (each test runs in a savepoint inside it). Returns the people and the search keys."""
    from django.db import transaction
    from django.test import override_settings
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    from search import index
    from tests.factories.home import StandardPageFactory, make_site
    from tests.factories.knowledge import TechWatchIndexPageFactory, make_article
    from tests.factories.members import make_member, make_staff
    from tests.factories.working_groups import (
        MeetingNotePageFactory,
        WorkingGroupIndexPageFactory,
        make_group,
        make_lead,
    )

    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("leak-media"))),
        transaction.atomic(),
    ):
        home = make_site()
        watch = TechWatchIndexPageFactory(parent=home)
        groups = WorkingGroupIndexPageFactory(parent=home)
        staff = make_staff()
        people = {
            "anonymous": None,
            "basic": make_member("basic"),
            "premium": make_member("premium"),
            "expired": make_member("premium", expired=True),
            "unsigned": make_member("premium", signed=False),
            "insider": make_member("basic"),
            "outsider": make_member("premium"),
            "editor": make_member("basic", roles_=[roles.TECHWATCH_EDITORS]),
            "staff": staff,
        }
        hermine = make_group(
            groups,
            visibility="private",
            title=f"Groupe {WORDS['private_group'][0]} {SHARED}",
            purpose=f"<p>Notre raison d'être : {WORDS['private_group'][1]}.</p>",
            members=[people["insider"]],
        )
        # The outsider belongs to a private group too, another one: membership is by group, not "any group".
        make_group(groups, visibility="private", title="Autre cercle", members=[people["outsider"]])
        people["lead"] = make_lead(hermine, by=staff, tier="basic")
        note = MeetingNotePageFactory(
            parent=hermine,
            title=f"Réunion {WORDS['group_note'][0]} {SHARED}",
            agenda=f"<p>Ordre du jour : {WORDS['group_note'][1]}.</p>",
        )
        cluster = make_group(
            groups,
            visibility="premium",
            kind="cluster",
            title=f"Grappe {WORDS['cluster'][0]} {SHARED}",
            purpose=f"<p>Les travaux de la grappe : {WORDS['cluster'][1]}.</p>",
        )

        def article(content, audience):
            title, body = WORDS[content]
            return make_article(
                watch,
                title=f"Article {title} {SHARED}",
                summary="Ce que tout membre peut lire.",
                body=paragraph(f"Analyse détaillée : {body}."),
                commentary="<p>Notre avis.</p>",
                audience=audience,
            )

        def page(content, audience):
            title, body = WORDS[content]
            return StandardPageFactory(
                parent=home,
                title=f"Page {title} {SHARED}",
                introduction="Une page du club.",
                body=paragraph(f"Le texte : {body}."),
                audience=audience,
            )

        Document = get_document_model()

        def document(content, collection):
            title, body = WORDS[content]
            file = ContentFile(f"Le texte du fichier : {body}.".encode(), name=f"{content}.txt")
            return Document.objects.create(title=f"Rapport {title} {SHARED}", file=file, collection=collection)

        person = make_member("basic", first_name="Zoé", last_name=WORDS["profile"][0].capitalize())
        person.profile.bio = f"Passionnée de {WORDS['profile'][1]}."
        person.profile.save()
        objects = {
            "public_page": page("public_page", ""),
            "members_page": page("members_page", "members"),
            "premium_article": article("premium_article", "premium"),
            "free_sample": article("free_sample", "members"),
            "open_article": article("open_article", "public"),
            "private_group": hermine,
            "group_note": note,
            "cluster": cluster,
            "document": document("document", Collection.objects.get(pk=watch_collection_id(watch))),
            "group_file": document("group_file", Collection.objects.get(pk=hermine.collection_id)),
            "profile": person.profile,
        }
        index.store_all()  # whatever the signals did, every document is written from the objects as they are
        keys = {content: index.key_of(obj) for content, obj in objects.items()}
        yield {"people": people, "keys": keys, "objects": objects}
        transaction.set_rollback(True)


def watch_collection_id(watch):
    from wagtail.models import Collection

    from knowledge.services import WATCH_COLLECTION_NAME

    return Collection.objects.get(name=WATCH_COLLECTION_NAME, depth=2).pk


@pytest.fixture(scope="module")
def elasticsearch_alias(club, django_db_blocker):
    """An Elasticsearch index of the module's own, filled once from the club's rows (when a server is named)."""
    import uuid

    from search.engines.elastic import ElasticsearchEngine
    from tests.search.conftest import elasticsearch_url

    url = elasticsearch_url()  # skips (or fails, where the CI leg requires the server) without one
    engine = ElasticsearchEngine(url, alias=f"cercle-search-test-{uuid.uuid4().hex[:12]}")
    with django_db_blocker.unblock():
        engine.rebuild()
    yield url, engine.alias
    engine.drop()


@pytest.fixture(
    params=[
        pytest.param("database", id="database"),
        pytest.param("elasticsearch", id="elasticsearch", marks=pytest.mark.elasticsearch),
    ]
)
def engine_name(request, settings, caplog):
    """Each engine the results page may ask; the Elasticsearch run fails if the database answered instead."""
    if request.param == "elasticsearch":
        settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_SEARCH_INDEX = request.getfixturevalue("elasticsearch_alias")
    yield request.param
    fallbacks = [r for r in caplog.records if r.name == "search.api" and r.levelname == "WARNING"]
    assert not fallbacks, [r.getMessage() for r in fallbacks]


@pytest.fixture
def as_viewer(db, club, client, engine_name):
    """A test client logged in as one kind of viewer (or not logged in)."""

    def log_in(who):
        user = club["people"][who]
        if user is not None:
            client.force_login(user)
        client.engine_name = engine_name
        return client

    return log_in


def search(client, text, url="/recherche/", **params):
    response = client.get(url, {"q": text, **params})
    assert response.status_code == 200, response.status_code
    engine = response.context["answer"].results.engine
    # Whatever answered is the engine under test ("sqlite"/"postgresql", or "elasticsearch").
    assert (engine == "elasticsearch") == (client.engine_name == "elasticsearch"), engine
    return response


def found_keys(response):
    answer = response.context["answer"]
    return {hit.document.key for hit in answer.results.hits} | {hit.document.key for hit in answer.people}


def suggestions(client, text):
    response = client.get("/recherche/suggestions/", {"q": text})
    assert response.status_code == 200
    return [s["title"] for s in response.json()["suggestions"]]


def title_of(club, content):
    obj = club["objects"][content]
    return getattr(obj, "title", None) or obj.name


def test_every_content_is_indexed(db, club):
    from search.models import SearchDocument

    assert set(SearchDocument.objects.filter(key__in=club["keys"].values()).values_list("key", flat=True)) == set(
        club["keys"].values()
    )


@pytest.mark.parametrize("content", CONTENTS)
@pytest.mark.parametrize("who", VIEWERS)
def test_a_title_word_finds_what_the_viewer_may_know_and_shows_nothing_of_its_body(as_viewer, club, who, content):
    client = as_viewer(who)
    title_word, body_word = WORDS[content]
    know, read = EXPECTED[content]
    response = search(client, title_word)
    assert (club["keys"][content] in found_keys(response)) == (who in know)
    if who not in read:
        # Neither a snippet, nor a facet, nor anything else in the page says a word of what is not to be read.
        assert body_word not in response.content.decode().lower()


@pytest.mark.parametrize("content", CONTENTS)
@pytest.mark.parametrize("who", VIEWERS)
def test_a_body_word_finds_only_what_the_viewer_may_read(as_viewer, club, who, content):
    client = as_viewer(who)
    title_word, body_word = WORDS[content]
    know, read = EXPECTED[content]
    response = search(client, body_word)
    assert (club["keys"][content] in found_keys(response)) == (who in read)
    if who not in read:
        assert response.context["answer"].results.total == 0
        assert title_word not in response.content.decode().lower()
    # Title and body words together: a teaser-only viewer matches the title, never the body.
    both = search(client, f"{title_word} {body_word}")
    assert (club["keys"][content] in found_keys(both)) == (who in read)


@pytest.mark.parametrize("content", CONTENTS)
@pytest.mark.parametrize("who", VIEWERS)
def test_suggestions_name_only_what_the_viewer_may_know(as_viewer, club, who, content):
    client = as_viewer(who)
    title_word, body_word = WORDS[content]
    know, _read = EXPECTED[content]
    title = title_of(club, content)
    assert (title in suggestions(client, title_word[:5])) == (who in know)
    # A suggestion is a title: a body word never suggests anything, whoever types it.
    assert title not in suggestions(client, body_word)


@pytest.mark.parametrize("who", VIEWERS)
def test_the_total_and_facet_counts_count_only_what_the_viewer_may_know(as_viewer, club, who):
    response = search(as_viewer(who), SHARED)
    results = response.context["answer"].results
    known = [content for content in KINDS if who in EXPECTED[content][0]]
    assert {hit.document.key for hit in results.hits} == {club["keys"][c] for c in known}
    assert results.total == len(known)
    expected_kinds = {}
    for content in known:
        expected_kinds[KINDS[content]] = expected_kinds.get(KINDS[content], 0) + 1
    assert {value: n for value, _label, n in results.facets.get("kind", [])} == expected_kinds
    groups = {value: n for value, _label, n in results.facets.get("group", [])}
    hermine, cluster = club["objects"]["private_group"], club["objects"]["cluster"]
    expected_groups = {}
    if who in EXPECTED["private_group"][0]:
        expected_groups[str(hermine.pk)] = 2  # the group's page and its note
    if who in EXPECTED["cluster"][0]:
        expected_groups[str(cluster.pk)] = 1
    assert groups == expected_groups
    html = response.content.decode().lower()
    for content in WORDS:
        if who not in EXPECTED[content][0]:
            assert WORDS[content][0] not in html, content
        if who not in EXPECTED[content][1]:
            assert WORDS[content][1] not in html, content


@pytest.mark.parametrize("who", VIEWERS)
def test_a_filter_on_a_private_group_shows_nothing_of_it_to_outsiders(as_viewer, club, who):
    hermine = club["objects"]["private_group"]
    response = search(as_viewer(who), SHARED, group=str(hermine.pk))
    results = response.context["answer"].results
    expected = 2 if who in HERMINE else 0
    assert results.total == expected
    if who not in HERMINE:
        assert WORDS["private_group"][0] not in response.content.decode().lower()


@pytest.mark.parametrize("who", VIEWERS)
def test_people_are_shown_to_members_only(as_viewer, club, who):
    response = search(as_viewer(who), "zoé")
    people = {hit.document.key for hit in response.context["answer"].people}
    assert (club["keys"]["profile"] in people) == (who in MEMBERS)
    if who not in MEMBERS:
        assert WORDS["profile"][0] not in response.content.decode().lower()


@pytest.mark.parametrize("who", ["basic", "insider", "lead"])
def test_a_premium_articles_teaser_is_shown_without_its_body(as_viewer, club, who):
    response = search(as_viewer(who), WORDS["premium_article"][0])
    html = response.content.decode()
    assert title_of(club, "premium_article") in html
    assert "Analyse détaillée" not in html and "Notre avis" not in html


@pytest.mark.parametrize("who", VIEWERS)
def test_the_english_results_page_follows_the_same_rules(as_viewer, club, who):
    client = as_viewer(who)
    for content in ("premium_article", "group_note", "document"):
        title_word, body_word = WORDS[content]
        know, read = EXPECTED[content]
        response = search(client, body_word, url="/en/recherche/")
        assert (club["keys"][content] in found_keys(response)) == (who in read)
        response = search(client, title_word, url="/en/recherche/")
        assert (club["keys"][content] in found_keys(response)) == (who in know)
