"""A guide's topics and clusters are links to the list they name: its topics to its category filtered on
the topic, its clusters to the technology watch filtered on the cluster (the knowledge base has no cluster
filter). Private clusters stay unnamed to those outside them, as everywhere."""

from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup

from tests.factories.knowledge import KnowledgeArticlePageFactory, make_article
from tests.factories.members import make_member, make_staff
from tests.factories.working_groups import make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide(knowledge_category, groups_index, watch_index):
    member = make_member("premium")
    open_cluster = make_group(groups_index, kind="cluster", visibility="premium", title="Grappe Cloud", slug="cloud")
    private = make_group(
        groups_index, kind="cluster", visibility="private", title="Grappe secrète", slug="secrete", members=[member]
    )
    guide = KnowledgeArticlePageFactory(parent=knowledge_category, title="Guide des achats", audience="members")
    guide.topics.add("Marchés publics")
    guide.clusters.set([open_cluster, private])
    guide.save_revision().publish()
    make_article(watch_index, title="Article du cloud", clusters=[open_cluster])
    make_article(watch_index, title="Article sans grappe")
    return guide, member


def links_of(client, user, guide):
    client.force_login(user)
    page = BeautifulSoup(client.get(guide.url).content, "html.parser")
    topics = {a.get_text(): a["href"] for a in page.find(attrs={"data-testid": "article-topics"}).find_all("a")}
    clusters_list = page.find(attrs={"data-testid": "article-clusters"})
    clusters = {a.get_text(): a["href"] for a in clusters_list.find_all("a")} if clusters_list else {}
    return topics, clusters


def test_a_guides_topic_links_to_its_category_filtered_on_it(client, guide, knowledge_category):
    topics, _clusters = links_of(client, make_member("basic"), guide[0])
    slug = guide[0].topics.get().slug
    assert topics == {"Marchés publics": f"{knowledge_category.url}?sujet={quote(slug)}"}
    html = client.get(topics["Marchés publics"]).content.decode()
    assert "Guide des achats" in html


def test_a_guides_cluster_links_to_the_watch_filtered_on_it(client, guide, watch_index):
    _topics, clusters = links_of(client, make_member("premium"), guide[0])
    assert clusters == {"Grappe Cloud": f"{watch_index.url}?grappe=cloud"}  # the private one is not named
    stream = client.get(clusters["Grappe Cloud"]).content.decode().split('id="stream-title"')[1]
    assert "Article du cloud" in stream and "Article sans grappe" not in stream


@pytest.mark.parametrize("kind", ["member", "staff"])
def test_a_private_cluster_is_a_link_for_those_who_know_it(client, guide, watch_index, kind):
    user = guide[1] if kind == "member" else make_staff()
    _topics, clusters = links_of(client, user, guide[0])
    assert clusters["Grappe secrète"] == f"{watch_index.url}?grappe=secrete"
