"""Who reads what of the technology watch: every kind of viewer against a premium article, a free sample
and a public article, on the article's page, the index, the dashboard and the attachments.

The body and the editors' view carry marker strings; wherever a viewer may not read an article in full,
the markers must be absent from what is sent, whatever the status code.
"""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from members import roles
from tests.factories.knowledge import BODY_MARKER, COMMENTARY_MARKER, SUMMARY_MARKER, make_article
from tests.factories.members import make_member, make_staff
from tests.factories.working_groups import make_group

pytestmark = pytest.mark.django_db

FULL, TEASER, LOGIN, CHARTER, FORBIDDEN = "full", "teaser", "login", "charter", "forbidden"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def people(groups_index):
    """Each kind of viewer DESIGN.md names, and the watch's own roles."""
    basic_in_group, outsider, lead = make_member("basic"), make_member("basic"), make_member("premium")
    make_group(groups_index, leads=[lead], members=[basic_in_group])
    return {
        "anonymous": None,
        "basic": make_member("basic"),
        "premium": make_member("premium"),
        "expired": make_member("premium", expired=True),
        "unsigned": make_member("premium", signed=False),
        "group_member": basic_in_group,
        "outsider": outsider,
        "lead": lead,
        "editor": make_member("basic", roles_=[roles.TECHWATCH_EDITORS]),
        "contributor": make_member("basic", roles_=[roles.TECHWATCH_CONTRIBUTORS]),
        "staff": make_staff(),
    }


# What each viewer gets of an article, by the article's audience. Editors and contributors write the
# watch, so they read it whatever their own tier (members/access.py: who may edit a page may read it).
EXPECTED = {
    "anonymous": {"premium": LOGIN, "members": LOGIN, "public": FULL},
    "basic": {"premium": TEASER, "members": FULL, "public": FULL},
    "premium": {"premium": FULL, "members": FULL, "public": FULL},
    "expired": {"premium": FORBIDDEN, "members": FORBIDDEN, "public": FULL},
    "unsigned": {"premium": CHARTER, "members": CHARTER, "public": FULL},
    "group_member": {"premium": TEASER, "members": FULL, "public": FULL},
    "outsider": {"premium": TEASER, "members": FULL, "public": FULL},
    "lead": {"premium": FULL, "members": FULL, "public": FULL},
    "editor": {"premium": FULL, "members": FULL, "public": FULL},
    "contributor": {"premium": FULL, "members": FULL, "public": FULL},
    "staff": {"premium": FULL, "members": FULL, "public": FULL},
}
CASES = [(kind, audience) for kind in EXPECTED for audience in ("premium", "members", "public")]


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(("kind", "audience"), CASES)
def test_the_article_page_gives_each_viewer_what_the_policy_says(client, watch_index, people, kind, audience):
    article = make_article(watch_index, audience=audience)
    response = login(client, people[kind]).get(article.url)
    html = response.content.decode()
    expected = EXPECTED[kind][audience]
    if expected in (FULL, TEASER):
        assert response.status_code == 200
        assert SUMMARY_MARKER in html
    if expected == FULL:
        assert BODY_MARKER in html and COMMENTARY_MARKER in html
        assert 'data-testid="upgrade-box"' not in html
    else:
        assert BODY_MARKER not in html and COMMENTARY_MARKER not in html
    if expected == TEASER:
        assert 'data-testid="upgrade-box"' in html
    if expected == LOGIN:
        assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
    if expected == CHARTER:
        assert response.status_code == 302 and "/charte/" in response["Location"]
    if expected == FORBIDDEN:
        assert response.status_code == 403


def test_restricted_articles_are_never_cached_and_public_ones_may_be(client, watch_index, people):
    premium = make_article(watch_index, audience="premium")
    public = make_article(watch_index, audience="public")
    login(client, people["basic"])
    assert "no-cache" in client.get(premium.url)["Cache-Control"]
    client.logout()
    assert "no-cache" not in client.get(public.url).get("Cache-Control", "")


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_the_index_lists_what_each_viewer_may_know_and_never_a_body(client, watch_index, people, kind):
    premium = make_article(watch_index, audience="premium", title="Titre premium")
    sample = make_article(watch_index, audience="members", title="Titre échantillon")
    public = make_article(watch_index, audience="public", title="Titre public")
    response = login(client, people[kind]).get(watch_index.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert BODY_MARKER not in html and COMMENTARY_MARKER not in html
    knows = {audience for audience, outcome in EXPECTED[kind].items() if outcome in (FULL, TEASER)}
    for article, audience in ((premium, "premium"), (sample, "members"), (public, "public")):
        assert (f'data-testid="watch-article-{article.pk}"' in html) == (audience in knows), (kind, audience)


def test_a_basic_member_sees_premium_marks_and_the_upgrade_notice(client, watch_index, people):
    article = make_article(watch_index, audience="premium")
    html = login(client, people["basic"]).get(watch_index.url).content.decode()
    card = html.split(f'data-testid="watch-article-{article.pk}"')[1].split("</li>")[0]
    assert "Premium" in card
    assert 'data-testid="upgrade-notice"' in html


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_the_dashboard_panel_lists_titles_never_bodies(client, watch_index, people, kind):
    premium = make_article(watch_index, audience="premium", title="Titre premium du tableau de bord")
    response = login(client, people[kind]).get("/")
    html = response.content.decode()
    assert BODY_MARKER not in html and COMMENTARY_MARKER not in html
    member_kinds = {"basic", "premium", "group_member", "outsider", "lead", "editor", "contributor", "staff"}
    assert ('data-testid="panel-techwatch"' in html) == (kind in member_kinds)
    if kind in member_kinds:
        assert premium.title in html


def test_the_index_filters_by_topic_and_cluster_and_puts_featured_on_top(client, watch_index, people, groups_index):
    web = make_group(groups_index, kind="cluster", visibility="premium", title="Web", slug="web")
    security = make_group(groups_index, kind="cluster", visibility="premium", title="Sécurité", slug="securite")
    cloud = make_article(watch_index, title="Article cloud", topics=["cloud"], clusters=[web])
    nis2 = make_article(watch_index, title="Article NIS2", topics=["NIS2"], clusters=[security])
    star = make_article(watch_index, title="Article à la une", featured=True)
    client.force_login(people["premium"])

    html = client.get(watch_index.url).content.decode()
    assert html.index(star.title) < html.index(cloud.title)
    assert 'id="featured-title"' in html

    html = client.get(watch_index.url, {"sujet": "cloud"}).content.decode()
    assert cloud.title in html and nis2.title not in html and star.title not in html
    html = client.get(watch_index.url, {"grappe": "securite"}).content.decode()
    assert nis2.title in html and cloud.title not in html


def test_the_index_paginates_and_survives_bad_page_numbers(client, watch_index, people):
    for number in range(14):
        make_article(watch_index, title=f"Article numéro {number:02d}")
    client.force_login(people["premium"])
    first = client.get(watch_index.url).content.decode()
    assert "page=2" in first
    assert client.get(watch_index.url, {"page": "2"}).status_code == 200
    assert client.get(watch_index.url, {"page": "abc"}).status_code == 200
    assert client.get(watch_index.url, {"page": "999"}).status_code == 200


@pytest.fixture
def attachment(watch_index):
    """A document in the watch's collection (premium, like its articles), attached to a premium article."""
    collection = Collection.objects.get(name="Veille technologique")
    document = get_document_model().objects.create(
        title="Étude complète",
        collection=collection,
        file=ContentFile(b"%PDF-1.4 CONTENU-ETUDE-PREMIUM", name="etude.pdf"),
    )
    article = make_article(watch_index, attachments=[("document", document)])
    return article, document


ATTACHMENT_EXPECTED = {
    "anonymous": 302,
    "basic": 403,
    "premium": 200,
    "expired": 403,
    "unsigned": 302,
    "group_member": 403,
    "outsider": 403,
    "lead": 200,
    "editor": 200,
    "contributor": 200,  # contributors choose the watch's documents in the admin: they may read them
    "staff": 200,
}


@pytest.mark.parametrize("kind", list(ATTACHMENT_EXPECTED))
def test_attachments_are_served_only_to_those_who_read_the_article(client, attachment, people, kind):
    article, document = attachment
    response = login(client, people[kind]).get(document.url)
    assert response.status_code == ATTACHMENT_EXPECTED[kind]
    if response.status_code != 200:
        assert b"CONTENU-ETUDE-PREMIUM" not in b"".join(getattr(response, "streaming_content", [response.content]))
    page_html = client.get(article.url).content.decode()
    assert (document.url in page_html) == (EXPECTED[kind]["premium"] == FULL)


def test_an_editor_reads_the_watch_only_while_a_member(client, watch_index):
    """Editing rights open the watch to its editors, but an editor whose membership ended is a visitor."""
    article = make_article(watch_index, audience="premium")
    lapsed = make_member("premium", expired=True, roles_=[roles.TECHWATCH_EDITORS])
    client.force_login(lapsed)
    response = client.get(article.url)
    assert response.status_code == 403
    assert BODY_MARKER not in response.content.decode()


def test_editors_reach_stops_at_the_watch(client, watch_index, groups_index):
    """A basic-tier editor reads the premium watch but not the premium clusters."""
    cluster = make_group(groups_index, kind="cluster", visibility="premium")
    client.force_login(make_member("basic", roles_=[roles.TECHWATCH_EDITORS]))
    assert client.get(cluster.url).status_code == 403


# ---------------------------------------------------------------------------------------------
# A private cluster's name stays with its members: on the index (filter and cards), the article page,
# the feeds and the dashboard, whoever else looks.
# ---------------------------------------------------------------------------------------------

PRIVATE_CLUSTER = "Grappe confidentielle Quantique"
KNOWS_PRIVATE_CLUSTER = {"anonymous": False, "basic": False, "premium_outsider": False, "member": True, "staff": True}


@pytest.fixture
def private_cluster_world(watch_index, groups_index):
    """A public article and a premium one, both tagged with a private cluster and a premium one."""
    member = make_member("premium")
    private = make_group(
        groups_index, kind="cluster", visibility="private", title=PRIVATE_CLUSTER, slug="quantique", members=[member]
    )
    open_cluster = make_group(groups_index, kind="cluster", visibility="premium", title="Grappe Cloud", slug="cloud")
    public = make_article(watch_index, audience="public", title="Article ouvert", clusters=[private, open_cluster])
    make_article(watch_index, audience="premium", title="Article premium", clusters=[private])
    viewers = {
        "anonymous": None,
        "basic": make_member("basic"),
        "premium_outsider": make_member("premium"),
        "member": member,
        "staff": make_staff(),
    }
    return public, viewers


def watch_pages(client, user, watch_index, article):
    """What a viewer is sent of the watch: the index, the article, the filter on the cluster, the feeds."""
    from django.urls import reverse

    from members.services import feed_token_for

    login(client, user)
    pages = {
        "index": client.get(watch_index.url),
        "filtered": client.get(watch_index.url, {"grappe": "quantique"}),
        "article": client.get(article.url),
        "public feed": client.get(reverse("knowledge:public_feed")),
        "dashboard": client.get("/"),
    }
    if user is not None:
        pages["member feed"] = client.get(reverse("knowledge:member_feed", args=[feed_token_for(user)]))
    for where, response in pages.items():
        assert response.status_code == 200, where
    return {where: response.content.decode() for where, response in pages.items()}


@pytest.mark.parametrize("kind", list(KNOWS_PRIVATE_CLUSTER))
def test_a_private_cluster_is_named_only_to_its_members_and_staff(client, watch_index, private_cluster_world, kind):
    article, viewers = private_cluster_world
    sent = watch_pages(client, viewers[kind], watch_index, article)
    for where in ("public feed", "member feed"):
        if where in sent:
            assert PRIVATE_CLUSTER not in sent[where], where  # no feed names clusters
    # Its members find it among their groups on the dashboard; no one else reads its name there.
    assert (PRIVATE_CLUSTER in sent["dashboard"]) == (kind == "member")
    for where in ("index", "article"):
        assert (PRIVATE_CLUSTER in sent[where]) == KNOWS_PRIVATE_CLUSTER[kind], (kind, where)
    # Filtering on a cluster one may not know finds nothing: the filter does not tell that it has articles.
    filtered = sent["filtered"].split('id="stream-title"')[1]
    assert ("Article ouvert" in filtered) == KNOWS_PRIVATE_CLUSTER[kind]


@pytest.mark.parametrize("kind", ["basic", "premium_outsider", "member", "staff"])
def test_members_see_the_premium_cluster_they_may_know(client, watch_index, private_cluster_world, kind):
    article, viewers = private_cluster_world
    sent = watch_pages(client, viewers[kind], watch_index, article)
    assert "Grappe Cloud" in sent["index"] and "Grappe Cloud" in sent["article"]


def test_topics_and_clusters_link_to_the_filtered_watch(client, watch_index, private_cluster_world):
    article, viewers = private_cluster_world
    article.topics.add("Cryptographie")
    article.save_revision().publish()
    client.force_login(viewers["member"])
    page = client.get(article.url).content.decode().split('data-testid="article-tags"')[1].split("</ul>")[0]
    assert f'href="{watch_index.url}?sujet=cryptographie"' in page
    assert f'href="{watch_index.url}?grappe=quantique"' in page and f'href="{watch_index.url}?grappe=cloud"' in page
    card = client.get(watch_index.url).content.decode().split(f'data-testid="watch-article-{article.pk}"')[1]
    card = card.split('data-testid="watch-article-')[0].split('id="stream-title"')[0]
    assert f'href="{watch_index.url}?sujet=cryptographie"' in card
    assert f'href="{watch_index.url}?grappe=quantique"' in card
    # The links lead to the list they promise.
    filtered = client.get(watch_index.url, {"sujet": "cryptographie"}).content.decode()
    assert "Article ouvert" in filtered and "Article premium" not in filtered.split('id="stream-title"')[1]
