"""The demo's technology watch and knowledge base, as it is built.

Loading the whole demo is slow, so one test checks what it builds; tests/home/test_load_demo.py runs it a
second time and checks that nothing of any app changes, what an editor changed included.
"""

import datetime
from io import StringIO
from pathlib import Path

import feedparser
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from knowledge import services
from knowledge.models import (
    InboxItem,
    KnowledgeArticlePage,
    KnowledgeCategoryPage,
    KnowledgeIndexPage,
    TechWatchArticlePage,
    TechWatchIndexPage,
    WatchSource,
)
from members import roles
from working_groups.models import WorkingGroupPage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def last_complete_week():
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday() + 7)
    return monday, monday + datetime.timedelta(days=6)


def test_the_demo_fills_the_watch_and_the_knowledge_base_once():
    call_command("load_demo", stdout=StringIO())

    # The watch: ~30 published articles across the six clusters, dated over the last ten weeks.
    watch = TechWatchIndexPage.objects.get()
    assert (watch.slug, watch.title) == ("veille", "Veille technologique") and watch.introduction
    articles = TechWatchArticlePage.objects.child_of(watch).live()
    assert 28 <= articles.count() <= 34
    clusters = WorkingGroupPage.objects.filter(kind="cluster")
    assert clusters.count() == 6
    for cluster in clusters:
        assert articles.filter(clusters=cluster).count() >= 3, cluster.title
    assert 3 <= articles.filter(featured=True).count() <= 5
    assert 4 <= articles.filter(audience="members").count() <= 6
    assert 2 <= articles.filter(audience="public").count() <= 4
    assert articles.filter(audience="premium").count() >= 18
    today = timezone.localdate()
    for article in articles:
        assert article.summary and article.commentary and article.source_name and article.source_url
        assert len(article.body) >= 3 and article.reading_minutes >= 1
        assert 1 <= article.topics.count() <= 3 and 1 <= article.clusters.count() <= 2
        assert today - datetime.timedelta(days=80) <= article.source_date <= today
        assert article.first_published_at.date() >= article.source_date
        assert article.first_published_at <= timezone.now()
    monday, sunday = last_complete_week()
    last_week = [a for a in articles if monday <= timezone.localdate(a.first_published_at) <= sunday]
    assert len(last_week) >= 4
    assert len({a.first_published_at.date() for a in articles}) >= 15  # spread, not all published today
    kinds = {block.block_type for article in articles for block in article.body}
    assert {"heading", "paragraph", "quote", "table", "code"} <= kinds
    with_attachment = [a for a in articles if a.attachments]
    assert 1 <= len(with_attachment) <= 3
    for article in with_attachment:
        document = article.attachments[0].value
        assert document.collection.name == services.WATCH_COLLECTION_NAME
        assert document.file.read().startswith(b"%PDF-1.4")

    # Two sources: files shipped with the demo, at a path of the club's own site (whatever its port),
    # whose items are already in the editors' inbox.
    sources = WatchSource.objects.all()
    assert sources.count() == 2
    static_root = Path(settings.BASE_DIR) / "knowledge" / "static"
    versions = set()
    for source in sources:
        assert source.feed_url.startswith("/static/knowledge/demo-feeds/")
        assert source.topic_list and source.status == WatchSource.Status.NEW
        assert InboxItem.objects.filter(source=source).count() >= 5
        path = static_root / source.feed_url.split("/static/", 1)[1]
        assert path.exists(), path
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, feed.get("bozo_exception")
        assert len(feed.entries) >= 5
        links = [entry.link for entry in feed.entries]
        assert len(set(links)) == len(links) and all(link.startswith("https://") for link in links)
        assert all(entry.get("published_parsed") and entry.get("summary") for entry in feed.entries)
        versions.add(feed.version)
    assert versions == {"rss20", "atom10"}

    # The knowledge base: three categories, a dozen guides, some waiting for their yearly review.
    base = KnowledgeIndexPage.objects.get()
    assert (base.slug, base.title) == ("connaissances", "Base de connaissances")
    assert KnowledgeCategoryPage.objects.child_of(base).live().count() == 3
    guides = KnowledgeArticlePage.objects.live()
    assert 10 <= guides.count() <= 14
    assert guides.filter(title="Tirer parti des marchés publics").exists()
    a_year_ago = today - datetime.timedelta(days=365)
    assert 2 <= guides.filter(last_reviewed__lt=a_year_ago).count() <= 3
    assert guides.filter(audience="public").count() == 2
    assert guides.exclude(audience__in=["public", "members"]).count() == 0
    for guide in guides:
        assert guide.summary and guide.authors.exists() and guide.topics.exists()
        assert len(guide.table_of_contents) >= 3, guide.title
    kinds = {block.block_type for guide in guides for block in guide.body}
    assert {"quote", "table", "code"} <= kinds
    linked = [guide for guide in guides if guide.related_links.exists()]
    assert len(linked) >= 4 and all(1 <= guide.related_links.count() <= 3 for guide in linked)
    assert guides.filter(authors__username="claire", title="Tirer parti des marchés publics").exists()
    (with_pdf,) = [guide for guide in guides if guide.attachments]
    assert with_pdf.attachments[0].value.collection.name == services.KNOWLEDGE_COLLECTION_NAME

    # The watch's contributor has an account.
    contributor = get_user_model().objects.get(username="contrib")
    assert contributor.groups.filter(name=roles.TECHWATCH_CONTRIBUTORS).exists()
