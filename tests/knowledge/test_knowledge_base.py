"""The knowledge base: who reads which guide, what every list shows each viewer, the table of contents,
attachments through the permission-checked view, related articles, and a fixed number of queries."""

import datetime
import itertools

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection

from knowledge.models import RelatedKnowledgeArticle
from members import roles
from members.models import Audience, CollectionAudience
from tests.factories.knowledge import BODY_MARKER, KnowledgeArticlePageFactory, KnowledgeCategoryPageFactory
from tests.factories.members import make_member
from tests.factories.working_groups import make_group

pytestmark = pytest.mark.django_db

SECRET = b"%PDF-1.4 guide confidentiel"
_counter = itertools.count()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def people(viewers, groups_index):
    """Every kind of viewer: the policy's table, plus a group's lead and member (ordinary members here)."""
    lead, member = make_member("basic"), make_member("basic")
    make_group(groups_index, leads=[lead], members=[member])
    return {"anonymous": None, **viewers, "lead": lead, "group_member": member}


def make_guide(category, *, topics=(), authors=(), **fields):
    """A live knowledge article under `category`, with its topics and authors."""
    article = KnowledgeArticlePageFactory(parent=category, **fields)
    if topics:
        article.topics.add(*topics)
    if authors:
        article.authors.set(authors)
    if topics or authors:
        article.save()
    return article


def document_in(collection_audience=None, title=None):
    """A document in a collection of its own; no CollectionAudience row means members only."""
    collection = Collection.get_first_root_node().add_child(name=f"Collection {next(_counter)}")
    if collection_audience is not None:
        CollectionAudience.objects.create(collection=collection, audience=collection_audience)
    return get_document_model().objects.create(
        title=title or f"Annexe {next(_counter)}",
        collection=collection,
        file=ContentFile(SECRET, name="annexe.pdf"),
    )


def get_as(client, user, url, **params):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url, params)


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def body_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def members_guide(knowledge_category):
    return make_guide(knowledge_category, title="Guide des marchés", slug="guide-membres", audience="members")


@pytest.fixture
def public_guide(knowledge_category):
    return make_guide(knowledge_category, title="Guide ouvert", slug="guide-public", audience="public")


# ---------------------------------------------------------------------------------------------
# Who reads an article
# ---------------------------------------------------------------------------------------------

# viewer kind -> status for a members' article; 302 is the log-in (or, unsigned, the charter) redirect.
MEMBERS_ARTICLE = {
    "anonymous": 302,
    "basic": 200,
    "premium": 200,
    "expired": 403,
    "unsigned": 302,
    "editor": 200,
    "contributor": 200,
    "staff": 200,
    "lead": 200,
    "group_member": 200,
}


@pytest.mark.parametrize("kind", list(MEMBERS_ARTICLE))
def test_members_article_is_read_by_members_only(client, people, members_guide, public_guide, kind):
    response = get_as(client, people[kind], members_guide.url)
    assert response.status_code == MEMBERS_ARTICLE[kind]
    assert (BODY_MARKER in response.content.decode()) == (response.status_code == 200)
    if kind == "anonymous":
        assert "next=" in response["Location"]


@pytest.mark.parametrize("kind", list(MEMBERS_ARTICLE))
def test_public_article_is_read_by_everyone(client, people, public_guide, kind):
    response = get_as(client, people[kind], public_guide.url)
    assert response.status_code == 200
    assert BODY_MARKER in response.content.decode()
    page = soup(response)
    assert page.find(attrs={"data-testid": "knowledge-article"}) is not None
    # Only members are offered "Report an error".
    entitled = kind not in ("anonymous", "expired", "unsigned")
    assert (page.find(attrs={"data-testid": "report-error"}) is not None) == entitled


def test_article_page_shows_its_meta(client, people, knowledge_category, groups_index):
    author = make_member("basic", first_name="Claire", last_name="Dubois")
    author.profile.display_name = "C. Dubois (DSI)"
    author.profile.save()
    other = make_member("basic", first_name="Marc", last_name="Lambert")
    other.profile.display_name = ""
    other.profile.save()
    cluster = make_group(groups_index, kind="cluster", visibility="premium", title="Sécurité")
    guide = make_guide(
        knowledge_category,
        topics=["cloud", "sécurité"],
        authors=[author, other],
        last_reviewed=datetime.date(2026, 3, 1),
        audience="public",
    )
    guide.clusters.set([cluster])
    guide.save()

    page = soup(get_as(client, people["basic"], guide.url))
    meta = page.find(attrs={"data-testid": "article-meta"})
    assert page.find(class_="lead").get_text(strip=True) == guide.summary
    assert page.find(attrs={"data-testid": "article-authors"}).get_text() == "C. Dubois (DSI), Marc Lambert"
    assert meta.find("time", attrs={"datetime": "2026-03-01"}) is not None
    assert {a.get_text() for a in page.find(attrs={"data-testid": "article-topics"}).find_all("a")} == {
        "cloud",
        "sécurité",
    }
    assert page.find(attrs={"data-testid": "article-clusters"}).get_text() == "Sécurité"
    assert page.find("nav", class_="breadcrumbs").find("a", string=knowledge_category.title) is not None

    # A visitor reads the public guide but does not learn the names of the (members') clusters.
    page = soup(get_as(client, None, guide.url))
    assert page.find(attrs={"data-testid": "article-clusters"}) is None
    assert "Sécurité" not in page.find(attrs={"data-testid": "article-meta"}).get_text()


# ---------------------------------------------------------------------------------------------
# Lists: the index and the categories
# ---------------------------------------------------------------------------------------------

LIST_SEES_MEMBERS_GUIDE = {
    "anonymous": False,
    "basic": True,
    "premium": True,
    "expired": False,
    "unsigned": False,
    "editor": True,
    "contributor": True,
    "staff": True,
    "lead": True,
    "group_member": True,
}


@pytest.mark.parametrize("kind", list(LIST_SEES_MEMBERS_GUIDE))
def test_category_lists_only_the_articles_the_viewer_may_know(
    client, people, knowledge_category, members_guide, public_guide, kind
):
    response = get_as(client, people[kind], knowledge_category.url)
    assert response.status_code == 200
    html = response.content.decode()
    listing = soup(response).find(attrs={"data-testid": "category-articles"})
    assert listing.find(attrs={"data-testid": "article-guide-public"}) is not None
    sees = LIST_SEES_MEMBERS_GUIDE[kind]
    assert (listing.find(attrs={"data-testid": "article-guide-membres"}) is not None) == sees
    assert ("Guide des marchés" in html) == sees  # nowhere on the page, not only in the list
    assert BODY_MARKER not in html
    assert (soup(response).find(attrs={"data-testid": "members-note"}) is not None) == (not sees)


@pytest.mark.parametrize("kind", list(LIST_SEES_MEMBERS_GUIDE))
def test_index_counts_and_lists_only_the_articles_the_viewer_may_know(
    client, people, knowledge_index, knowledge_category, members_guide, public_guide, kind
):
    other = KnowledgeCategoryPageFactory(parent=knowledge_index, title="Cybersécurité", slug="cyber")
    make_guide(other, slug="guide-cyber-1")
    make_guide(other, slug="guide-cyber-2")
    make_guide(other, slug="guide-cyber-3", audience="public")
    empty = KnowledgeCategoryPageFactory(parent=knowledge_index, title="Vide", slug="vide")

    response = get_as(client, people[kind], knowledge_index.url)
    assert response.status_code == 200
    page = soup(response)
    counts = {
        slug: int(page.find(attrs={"data-testid": f"category-{slug}"})["data-article-count"])
        for slug in (knowledge_category.slug, other.slug, empty.slug)
    }
    sees = LIST_SEES_MEMBERS_GUIDE[kind]
    assert counts == {knowledge_category.slug: 2 if sees else 1, other.slug: 3 if sees else 1, empty.slug: 0}
    latest = page.find(attrs={"data-testid": "knowledge-latest"})
    assert (latest.find(attrs={"data-testid": "latest-guide-membres"}) is not None) == sees
    assert latest.find(attrs={"data-testid": "latest-guide-public"}) is not None
    assert ("Guide des marchés" in response.content.decode()) == sees


def test_visitor_is_invited_to_log_in(client, knowledge_index, knowledge_category, public_guide):
    page = soup(get_as(client, None, knowledge_index.url))
    note = page.find(attrs={"data-testid": "members-note"})
    assert note.find("a")["href"].endswith(f"?next={knowledge_index.url}")


def test_category_filters_by_topic(client, people, knowledge_category):
    make_guide(knowledge_category, slug="cloud-public", topics=["cloud"], audience="public")
    make_guide(knowledge_category, slug="cloud-membres", topics=["cloud", "rgpd"])
    make_guide(knowledge_category, slug="rgpd-seul", topics=["rgpd"], audience="public")
    make_guide(knowledge_category, slug="rgpd-membres-seul", topics=["rgpd", "secret-membres"])

    page = soup(get_as(client, people["basic"], knowledge_category.url, sujet="cloud"))
    listed = {li["data-testid"] for li in page.find(attrs={"data-testid": "category-articles"}).find_all("li", "card")}
    assert listed == {"article-cloud-public", "article-cloud-membres"}
    assert page.find("a", attrs={"aria-current": "page"}, string=lambda s: s and "cloud" in s) is not None

    # The topic filter offers only the topics of the articles the viewer may know, with their counts.
    page = soup(get_as(client, None, knowledge_category.url))
    topics = page.find(attrs={"data-testid": "topic-filter"}).get_text()
    assert "cloud (1)" in topics and "rgpd (1)" in topics
    assert "secret-membres" not in page.decode()

    page = soup(get_as(client, None, knowledge_category.url, sujet="inconnu"))
    assert page.find(attrs={"data-testid": "category-articles"}).find("li", "card") is None


# ---------------------------------------------------------------------------------------------
# Table of contents and body blocks
# ---------------------------------------------------------------------------------------------

BODY = [
    {"type": "heading", "value": {"text": "Contexte", "level": "h2"}},
    {"type": "paragraph", "value": f"<p>Texte. {BODY_MARKER}</p>"},
    {"type": "heading", "value": {"text": "Détails du marché", "level": "h3"}},
    {"type": "quote", "value": {"text": "Mieux vaut prévenir.", "attribution": "Un DSI"}},
    {"type": "code", "value": {"language": "SQL", "code": "select 1;\n<script>"}},
    {"type": "heading", "value": {"text": "Contexte", "level": "h2"}},
    {
        "type": "table",
        "value": {
            "data": [["Critère", "Poids"], ["Prix", "40 %"], ["Qualité", "60 %"]],
            "first_row_is_table_header": True,
            "first_col_is_header": True,
            "table_caption": "Grille d'évaluation",
        },
    },
]


def test_table_of_contents_links_to_the_headings_ids(client, people, knowledge_category):
    guide = make_guide(knowledge_category, body=BODY)
    page = soup(get_as(client, people["basic"], guide.url))

    toc = page.find("nav", attrs={"data-testid": "toc"})
    assert toc["aria-labelledby"] and page.find(id=toc["aria-labelledby"]) is not None
    targets = [a["href"] for a in toc.find_all("a")]
    assert targets == [f"#{anchor}" for anchor, _text, _level in guide.table_of_contents]
    assert targets == ["#contexte-1", "#details-du-marche-3", "#contexte-6"]
    body = page.find(attrs={"data-testid": "article-body"})
    for target in targets:
        heading = body.find(id=target[1:])
        assert heading is not None and heading.name in ("h2", "h3")
    assert body.find(id="details-du-marche-3").name == "h3"
    # The subheading sits under its section in the table of contents.
    assert toc.find("ol").find("ol").find("a")["href"] == "#details-du-marche-3"


def test_no_table_of_contents_for_a_single_heading(client, people, knowledge_category):
    guide = make_guide(knowledge_category)  # the factory's body has one heading
    page = soup(get_as(client, people["basic"], guide.url))
    assert page.find(attrs={"data-testid": "toc"}) is None
    assert page.find(attrs={"data-testid": "article-body"}).find("h2", id="contexte-1") is not None


def test_body_blocks_render_as_semantic_html(client, people, knowledge_category):
    document = document_in(title="Cahier des charges type")
    guide = make_guide(
        knowledge_category,
        body=BODY + [{"type": "document", "value": {"document": document.pk, "caption": "Modèle à adapter"}}],
    )
    page = soup(get_as(client, people["basic"], guide.url))
    body = page.find(attrs={"data-testid": "article-body"})

    quote = body.find("figure", class_="quote")
    assert quote.blockquote.get_text(strip=True) == "Mieux vaut prévenir."
    assert "Un DSI" in quote.figcaption.get_text()

    code = body.find("pre").find("code")
    assert code["class"] == ["language-sql"]
    assert code.get_text() == "select 1;\n<script>"  # escaped, not markup
    assert body.find("script") is None

    table = body.find("table")
    assert table.caption.get_text() == "Grille d'évaluation"
    assert [th.get_text() for th in table.thead.find_all("th")] == ["Critère", "Poids"]
    assert all(th["scope"] == "col" for th in table.thead.find_all("th"))
    rows = table.tbody.find_all("tr")
    assert [row.th.get_text() for row in rows] == ["Prix", "Qualité"]
    assert rows[0].th["scope"] == "row" and rows[0].td.get_text() == "40 %"

    link = body.find(attrs={"data-testid": "document-block"}).find("a")
    assert link["href"] == document.url and link.get_text() == "Cahier des charges type"
    assert "PDF" in body.find(attrs={"data-testid": "document-block"}).get_text()


def test_table_without_headers_has_only_data_cells(client, people, knowledge_category):
    table = {"data": [["a", "b"], ["c", "d"]], "first_row_is_table_header": False, "first_col_is_header": False}
    guide = make_guide(knowledge_category, body=[{"type": "table", "value": table}])
    rendered = soup(get_as(client, people["basic"], guide.url)).find(attrs={"data-testid": "article-body"}).table
    assert rendered.thead is None and rendered.find("th") is None
    assert [td.get_text() for td in rendered.find_all("td")] == ["a", "b", "c", "d"]


# ---------------------------------------------------------------------------------------------
# Attachments: listed as the policy says, served through the permission-checked view
# ---------------------------------------------------------------------------------------------


def test_attachments_of_a_members_article_are_served_to_members_only(client, people, knowledge_category):
    document = document_in()  # a collection without an audience row: members only
    guide = make_guide(knowledge_category, attachments=[("document", document)])

    page = soup(get_as(client, people["basic"], guide.url))
    links = page.find(attrs={"data-testid": "article-attachments"}).find_all("a")
    assert [link["href"] for link in links] == [document.url]
    response = client.get(document.url)
    assert response.status_code == 200 and SECRET in body_of(response)

    response = get_as(client, None, document.url)
    assert response.status_code == 302 and SECRET not in body_of(response)
    response = get_as(client, people["expired"], document.url)
    assert response.status_code == 403 and SECRET not in body_of(response)


def test_public_article_lists_only_the_attachments_the_viewer_may_download(client, people, knowledge_category):
    members_only = document_in(title="Annexe des membres")
    for_everyone = document_in(Audience.PUBLIC, title="Annexe publique")
    guide = make_guide(
        knowledge_category, audience="public", attachments=[("document", members_only), ("document", for_everyone)]
    )

    page = soup(get_as(client, None, guide.url))
    assert [a.get_text() for a in page.find(attrs={"data-testid": "article-attachments"}).find_all("a")] == [
        "Annexe publique"
    ]
    assert "Annexe des membres" not in page.decode()
    assert get_as(client, None, members_only.url).status_code == 302
    assert get_as(client, None, for_everyone.url).status_code == 200

    page = soup(get_as(client, people["basic"], guide.url))
    assert [a.get_text() for a in page.find(attrs={"data-testid": "article-attachments"}).find_all("a")] == [
        "Annexe des membres",
        "Annexe publique",
    ]


# ---------------------------------------------------------------------------------------------
# Related articles
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def related_setup(knowledge_category, knowledge_index):
    today = timezone.localdate()
    other_category = KnowledgeCategoryPageFactory(parent=knowledge_index, title="Autre", slug="autre")

    def guide(slug, topics=(), audience="public", days=10, category=knowledge_category, **fields):
        return make_guide(
            category,
            slug=slug,
            title=f"Titre {slug}",
            topics=topics,
            audience=audience,
            last_reviewed=today - datetime.timedelta(days=days),
            **fields,
        )

    main = guide("principal", topics=["cloud", "securite"])
    chosen_members = guide("choisi-membres", audience="members")
    both = guide("choisi-et-commun", topics=["cloud", "securite"], category=other_category)
    recent = guide("un-sujet-recent", topics=["cloud"], days=5)
    older = guide("un-sujet-ancien", topics=["securite"], days=50)
    oldest = guide("un-sujet-plus-ancien", topics=["cloud"], days=400)
    guide("sans-rapport", topics=["rgpd"])
    draft = guide("brouillon", topics=["cloud", "securite"])
    draft.unpublish()
    members_sharing = guide("commun-membres", topics=["cloud", "securite"], audience="members")
    for order, related in enumerate([chosen_members, both, main]):  # an editor's slip: itself
        RelatedKnowledgeArticle.objects.create(page=main, related=related, sort_order=order)
    return {
        "main": main,
        "chosen_members": chosen_members,
        "both": both,
        "recent": recent,
        "older": older,
        "oldest": oldest,
        "members_sharing": members_sharing,
    }


def related_slugs(client, user, article):
    section = soup(get_as(client, user, article.url)).find(attrs={"data-testid": "related-articles"})
    return [li["data-testid"].removeprefix("related-") for li in section.find_all("li")] if section else []


def test_related_articles_chosen_first_then_most_shared_topics(client, people, related_setup):
    # Chosen ones in the editor's order, then the others by topics shared, no duplicate, never itself, 4 at most.
    assert related_slugs(client, people["basic"], related_setup["main"]) == [
        "choisi-membres",
        "choisi-et-commun",
        "commun-membres",
        "un-sujet-recent",
    ]


def test_related_articles_go_through_the_policy(client, related_setup):
    # A visitor of the public guide neither sees the members' chosen guide nor the members' one sharing topics.
    slugs = related_slugs(client, None, related_setup["main"])
    assert slugs == ["choisi-et-commun", "un-sujet-recent", "un-sujet-ancien", "un-sujet-plus-ancien"]
    html = get_as(client, None, related_setup["main"].url).content.decode()
    assert "Titre choisi-membres" not in html and "Titre commun-membres" not in html


def test_article_without_topics_or_choices_has_no_related_section(client, people, knowledge_category):
    guide = make_guide(knowledge_category)
    make_guide(knowledge_category)
    assert related_slugs(client, people["basic"], guide) == []


# ---------------------------------------------------------------------------------------------
# Fixed number of queries (DESIGN.md, performance targets)
# ---------------------------------------------------------------------------------------------

# Measured on Wagtail 8.0.1 / SQLite, once warm, with the page cache off (tests/conftest.py). Of these,
# Wagtail's routing costs 6-8 (site, then each level of the tree), the access policy's Viewer 1 for a member
# (the user with their profile and charter state; the rest comes from the session, members/entitlements.py)
# and the page's audience row 1; the editor's 2 more are the Wagtail user bar (home/userbar.py).
# The page's own lists: category 4 (topics, count, articles, their topics), index 3
# (categories, counts, latest), article 6 (topics, authors, clusters, attachments, related, body documents);
# breadcrumbs cost nothing (the routing already walked the ancestors).
# The active locale Wagtail looks up to route a page comes from home.i18n's map of locales, not a query.
CATEGORY_QUERIES = {"anonymous": 11, "basic": 12, "editor": 14, "staff": 14}
# A guide naming clusters to the viewer pays one more for the watch's address (they link to the filtered watch).
ARTICLE_QUERIES = {"anonymous": 15, "basic": 17, "editor": 19, "staff": 19}
INDEX_QUERIES = {"anonymous": 8, "basic": 9, "editor": 11, "staff": 11}


def warm(client, user, url):
    """Log in and request twice: the first requests fill the session, the menu and footer caches, the club's
    settings row; what is measured after that is what every later request costs."""
    client.logout()
    if user is not None:
        client.force_login(user)
    for _ in range(2):
        assert client.get(url).status_code == 200


def queries_for(client, user, url):
    """The number of queries of a request once warm."""
    warm(client, user, url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.fixture
def query_viewers(db):
    return {
        "anonymous": None,
        "basic": make_member("basic"),
        "editor": make_member("basic", roles_=[roles.TECHWATCH_EDITORS]),
        "staff": make_member("premium", category="effective", roles_=[roles.CLUB_STAFF]),
    }


def grow_category(category, count, start=0):
    for n in range(start, start + count):
        make_guide(
            category,
            slug=f"guide-{n}",
            topics=[f"sujet-{n}", f"sujet-{n + 1}", "commun"],
            authors=[make_member("basic")],
            audience="public" if n % 2 else "members",
        )


def test_category_costs_the_same_queries_with_3_or_15_articles(client, knowledge_category, query_viewers):
    grow_category(knowledge_category, 3)
    small = {kind: queries_for(client, user, knowledge_category.url) for kind, user in query_viewers.items()}
    grow_category(knowledge_category, 12, start=3)
    large = {kind: queries_for(client, user, knowledge_category.url) for kind, user in query_viewers.items()}
    assert small == large
    assert large == CATEGORY_QUERIES


def test_index_costs_the_same_queries_with_few_or_many_categories(client, knowledge_index, query_viewers):
    def grow(count, start):
        for n in range(start, start + count):
            grow_category(KnowledgeCategoryPageFactory(parent=knowledge_index, slug=f"cat-{n}"), 2, start=n * 10)

    grow(2, 0)
    small = {kind: queries_for(client, user, knowledge_index.url) for kind, user in query_viewers.items()}
    grow(6, 2)
    large = {kind: queries_for(client, user, knowledge_index.url) for kind, user in query_viewers.items()}
    assert small == large
    assert large == INDEX_QUERIES


def test_article_costs_the_same_queries_with_3_or_15_related_items(
    client, knowledge_category, groups_index, query_viewers
):
    guide = make_guide(knowledge_category, slug="principal", audience="public", body=BODY)

    def grow(count, start):
        for n in range(start, start + count):
            related = make_guide(knowledge_category, slug=f"lie-{n}", topics=[f"sujet-{n}"], audience="public")
            RelatedKnowledgeArticle.objects.create(page=guide, related=related, sort_order=n)
            guide.topics.add(f"sujet-{n}")
            guide.authors.add(make_member("basic"))
            guide.clusters.add(make_group(groups_index, kind="cluster", visibility="premium"))
        guide.attachments = [("document", document_in(Audience.PUBLIC)) for _ in range(start + count)]
        guide.body = BODY + [
            {"type": "document", "value": {"document": document_in(Audience.PUBLIC).pk, "caption": ""}}
            for _ in range(start + count)
        ]
        guide.save()

    grow(3, 0)
    small = {kind: queries_for(client, user, guide.url) for kind, user in query_viewers.items()}
    grow(12, 3)
    large = {kind: queries_for(client, user, guide.url) for kind, user in query_viewers.items()}
    assert small == large
    assert large == ARTICLE_QUERIES
