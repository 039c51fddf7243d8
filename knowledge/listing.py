"""What the technology watch's pages show, each list filtered by the access policy, at a fixed number of queries."""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.urls import reverse
from taggit.models import Tag

from home.i18n import PAGE_LINK_COLUMNS
from members.access import Viewer, can_read, filter_pages
from members.privacy import holds_feed_token
from members.services import feed_token_for
from working_groups.models import WorkingGroupPage

from .kb import article_clusters
from .models import TechWatchArticlePage

PAGE_SIZE = 12
FEATURED_COUNT = 3
# The watch's order, newest first: the source's date (indexed, knowledge.models), then the publication.
WATCH_ORDER = ("-source_date", "-first_published_at", "-pk")
# What a card of the watch shows, and what its link, its language and the policy need: never the body,
# the editors' view or the attachments, which a list of thousands would otherwise read for nothing.
CARD_COLUMNS = PAGE_LINK_COLUMNS + (
    "first_published_at",
    "last_published_at",
    "summary",
    "source_name",
    "source_date",
    "reading_minutes",
    "audience",
    "featured",
    "cercle_audience__know",
    "cercle_audience__read",
    "cercle_audience__group_id",
)


def watch_articles(viewer, index=None):
    """The live articles this viewer may know of (teasers included), newest first, whole (the feeds
    carry the full text to those who read it)."""
    articles = TechWatchArticlePage.objects.live()
    if index is not None:
        articles = articles.child_of(index)
    return filter_pages(viewer, articles).select_related("cercle_audience").order_by(*WATCH_ORDER)


def watch_cards(viewer, index=None):
    """The same articles with only what a list shows of them."""
    return watch_articles(viewer, index).only(*CARD_COLUMNS)


def mark_readable(viewer, articles):
    """Tell each article whether this viewer reads it in full (from the audience row already loaded)."""
    for article in articles:
        article.viewer_reads = can_read(viewer, article)
    return articles


def known_clusters(viewer, clusters=None):
    """The live clusters this viewer may know exist: a private cluster's name stays with its members."""
    clusters = WorkingGroupPage.objects.all() if clusters is None else clusters
    return (
        filter_pages(viewer, clusters.filter(kind="cluster").live())
        .only("pk", "title", "slug", "locale_id")
        .order_by("title")
    )


def _filters(viewer, index):
    """The topics that the viewer's visible articles carry and the clusters they may know, for the filter form."""
    visible = filter_pages(viewer, TechWatchArticlePage.objects.live().child_of(index)).values("pk")
    topics = (
        Tag.objects.filter(knowledge_techwatcharticletag_items__content_object__in=visible)
        .annotate(count=Count("pk"))
        .order_by("name")
    )
    return list(topics), list(known_clusters(viewer))


def watch_listing(request, index):
    """The watch's index: featured items on top of the first page, then the stream, newest first."""
    viewer = Viewer.for_request(request)
    articles = watch_cards(viewer, index)
    topic = request.GET.get("sujet", "").strip()
    cluster = request.GET.get("grappe", "").strip()
    if topic:
        articles = articles.filter(topics__slug=topic)
    if cluster:
        # Only a cluster the viewer may know filters: whether a private one has articles is not told.
        articles = articles.filter(clusters__in=known_clusters(viewer).filter(slug=cluster).values("pk"))
    filtered = bool(topic or cluster)

    featured = []
    page_number = request.GET.get("page", "1")
    if not filtered and page_number in ("", "1"):
        featured = mark_readable(viewer, list(articles.filter(featured=True)[:FEATURED_COUNT]))
        articles = articles.exclude(pk__in=[article.pk for article in featured])

    page = Paginator(articles, PAGE_SIZE).get_page(page_number)  # a wrong number gives the first or last page
    page.object_list = list(page.object_list)
    # One query for the topics of the featured items and of the page together, one for their clusters
    # (those the viewer may know only).
    prefetch_related_objects(
        featured + page.object_list,
        "topics",
        Prefetch("clusters", queryset=known_clusters(viewer), to_attr="known_clusters"),
    )
    mark_readable(viewer, page.object_list)

    topics, clusters = _filters(viewer, index)
    return {
        "featured": featured,
        "articles": page,
        "topics": topics,
        "clusters": clusters,
        "current_topic": topic,
        "current_cluster": cluster,
        "filtered": filtered,
        "viewer": viewer,
        "feed_url": personal_feed_url(request, viewer),
        "public_feed_url": request.build_absolute_uri(reverse("knowledge:public_feed")),
    }


def personal_feed_url(request, viewer):
    """A member's own feed of the watch (teasers or full text, as their tier says)."""
    if not viewer.is_member:
        return None
    token = feed_token_for(request.user)
    # The page now holds the person's secret: never in a browser's or proxy's cache, and put back per
    # person by the club's page cache (members/page_cache.py).
    holds_feed_token(request, token)
    return request.build_absolute_uri(reverse("knowledge:member_feed", args=[token]))


def article_context(request, article):
    """An article's page: the full text only for those who may read it; the teaser and upgrade box otherwise."""
    viewer = Viewer.for_request(request)
    decision = getattr(request, "page_decision", None)
    reads = decision.full if decision is not None else can_read(viewer, article)
    topics = list(article.topics.all())
    return {
        "viewer": viewer,
        "reads_in_full": reads,
        "topics": topics,
        # Through the policy, and from the form's choice in a preview (the relation is then in memory).
        "clusters": list(known_clusters(viewer, article_clusters(article))),
        "index": article.get_parent(),  # cached by Wagtail's routing: no query when served
        "may_report": viewer.is_member,
        "related": related_articles(viewer, article, [topic.pk for topic in topics]) if viewer.is_member else [],
    }


def related_articles(viewer, article, topic_ids, limit=3):
    """Other articles sharing a topic with this one, those most alike first."""
    if not topic_ids:
        return []
    others = (
        filter_pages(viewer, TechWatchArticlePage.objects.live().exclude(pk=article.pk))
        .filter(tagged_items__tag_id__in=topic_ids)
        .annotate(shared=Count("tagged_items", filter=Q(tagged_items__tag_id__in=topic_ids)))
        .order_by("-shared", "-source_date")
        .only("pk", "title", "url_path", "source_date", "summary", "locale_id")
    )
    return list(others[:limit])
