"""What the knowledge base's pages show, each list filtered by the access policy, at a fixed number of queries.

The page models call these from `get_context`. Serving an article is already decided by the policy's
`on_serve_page` hook; here every *list* (categories' articles, counts, related articles, attachments,
clusters) asks the policy again, so that no viewer reads the title of something they may not know exists.
"""

from django.core.paginator import Paginator
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Substr
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.models import Page

from members.access import Viewer, filter_documents, filter_pages
from members.services import person_name
from working_groups.models import WorkingGroupPage

from .models import KnowledgeArticlePage, KnowledgeArticleTag, KnowledgeCategoryPage, RelatedKnowledgeArticle

PAGE_SIZE = 20
LATEST_COUNT = 5
RELATED_COUNT = 4
TOC_MINIMUM = 2  # a single heading makes no table of contents


def members_note(viewer):
    """Why some guides are missing from the lists: "login" for a visitor, "members" for a non-member."""
    if viewer.is_member or viewer.is_staff:
        return None
    return "members" if viewer.is_authenticated else "login"


def visible_articles(viewer, queryset=None):
    """The live knowledge articles this viewer may know exist, without their (heavy) stream fields."""
    queryset = KnowledgeArticlePage.objects.all() if queryset is None else queryset
    return filter_pages(viewer, queryset.live()).defer_streamfields()


# ---------------------------------------------------------------------------------------------
# The index: categories, how many articles each holds for this viewer, the latest reviewed
# ---------------------------------------------------------------------------------------------


def article_counts(viewer, index):
    """{category path: number of its articles this viewer may know}, in one query for all categories."""
    prefix_length = (index.depth + 1) * Page.steplen
    rows = (
        visible_articles(viewer, KnowledgeArticlePage.objects.descendant_of(index))
        .annotate(category_path=Substr("path", 1, prefix_length))
        .order_by()
        .values("category_path")
        .annotate(count=Count("pk"))
        .values_list("category_path", "count")
    )
    return dict(rows)


def knowledge_index(request, index):
    viewer = Viewer.for_request(request)
    categories = list(filter_pages(viewer, KnowledgeCategoryPage.objects.child_of(index).live()).order_by("path"))
    counts = article_counts(viewer, index)
    by_path = {}
    for category in categories:
        category.article_count = counts.get(category.path, 0)
        by_path[category.path] = category
    latest = list(
        visible_articles(viewer, KnowledgeArticlePage.objects.descendant_of(index)).order_by(
            "-last_reviewed", "-last_published_at", "-pk"
        )[:LATEST_COUNT]
    )
    for article in latest:
        article.category = by_path.get(article.path[: -Page.steplen])
    return {
        "viewer": viewer,
        "categories": categories,
        "latest_articles": latest,
        "members_note": members_note(viewer),
    }


# ---------------------------------------------------------------------------------------------
# A category: its articles, filtered by topic on request
# ---------------------------------------------------------------------------------------------


def category_topics(viewer, category):
    """The topics that this viewer's visible articles of the category carry, with how many carry each."""
    visible = visible_articles(viewer, KnowledgeArticlePage.objects.child_of(category)).values("pk")
    return list(
        Tag.objects.filter(knowledge_knowledgearticletag_items__content_object__in=visible)
        .annotate(count=Count("pk"))
        .order_by("name")
    )


def knowledge_category(request, category):
    viewer = Viewer.for_request(request)
    articles = (
        visible_articles(viewer, KnowledgeArticlePage.objects.child_of(category))
        .prefetch_related("topics")
        .order_by("title", "pk")
    )
    topics = category_topics(viewer, category)
    topic_slug = request.GET.get("sujet", "").strip()
    current_topic = next((topic for topic in topics if topic.slug == topic_slug), None)
    if topic_slug:
        # An unknown topic gives an empty list rather than every article: the filter says what it shows.
        articles = articles.filter(topics__slug=topic_slug)

    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))  # a wrong number: first or last page
    return {
        "viewer": viewer,
        "articles": page,
        "topics": topics,
        "current_topic": current_topic,
        "topic_slug": topic_slug,
        "members_note": members_note(viewer),
    }


# ---------------------------------------------------------------------------------------------
# An article: meta, table of contents, attachments, related articles
# ---------------------------------------------------------------------------------------------


def nested_toc(entries):
    """[(anchor, text, level)] as [{anchor, text, children}], subheadings under the section before them."""
    toc = []
    for anchor, text, level in entries:
        entry = {"anchor": anchor, "text": text, "children": []}
        if level == "h3" and toc:
            toc[-1]["children"].append(entry)
        else:
            toc.append(entry)
    return toc


def article_attachments(viewer, article):
    """The article's attached documents this viewer may download, in the editor's order (one query)."""
    ids = [item["value"] for item in article.attachments.raw_data if item.get("type") == "document" and item["value"]]
    if not ids:
        return []
    documents = filter_documents(viewer, get_document_model().objects.filter(pk__in=ids)).in_bulk()
    return [documents[pk] for pk in dict.fromkeys(ids) if pk in documents]


def related_articles(viewer, article, topic_ids, limit=RELATED_COUNT):
    """The articles an editor chose (in their order), then those sharing most topics; all in one query.

    Both kinds go through the policy: a chosen article the viewer may not know is left out, not shown."""
    chosen = RelatedKnowledgeArticle.objects.filter(page_id=article.pk, related_id=OuterRef("pk"))
    candidates = Q(pk__in=RelatedKnowledgeArticle.objects.filter(page_id=article.pk).values("related_id"))
    shared = Value(0, output_field=IntegerField())
    if topic_ids:
        sharing = KnowledgeArticleTag.objects.filter(tag_id__in=topic_ids)
        candidates |= Q(pk__in=sharing.values("content_object_id"))
        shared = Coalesce(
            Subquery(
                sharing.filter(content_object_id=OuterRef("pk"))
                .order_by()
                .values("content_object_id")
                .annotate(count=Count("pk"))
                .values("count")[:1],
                output_field=IntegerField(),
            ),
            0,
        )
    related = (
        visible_articles(viewer)
        .exclude(pk=article.pk)
        .filter(candidates)
        .annotate(chosen_order=Subquery(chosen.order_by("sort_order").values("sort_order")[:1]), shared=shared)
        .order_by(F("chosen_order").asc(nulls_last=True), "-shared", "-last_reviewed", "title", "pk")
    )
    return list(related[:limit])


def article_clusters(article):
    """The article's clusters as a queryset to filter: the saved relation (no query yet), or in a preview
    the clusters chosen in the form (which exist only in memory until the page is saved)."""
    chosen = article.clusters.all()
    if isinstance(chosen, QuerySet):
        return chosen
    return WorkingGroupPage.objects.filter(pk__in=[cluster.pk for cluster in chosen])


def knowledge_article(request, article):
    viewer = Viewer.for_request(request)
    topics = list(article.topics.all())
    authors = article.authors.select_related("profile").order_by("last_name", "first_name", "pk")
    # The clusters through the policy too: a visitor of a public article does not learn their names.
    clusters = (
        filter_pages(viewer, article_clusters(article).live())
        .only("pk", "title", "slug", "url_path", "path", "depth", "locale_id")
        .order_by("title")
    )
    entries = article.table_of_contents
    return {
        "viewer": viewer,
        "category": article.get_parent(),  # cached by Wagtail's routing: no query when served
        "authors": [person_name(user) for user in authors],
        "topics": topics,
        "clusters": list(clusters),
        "toc": nested_toc(entries) if len(entries) >= TOC_MINIMUM else [],
        "attachments": article_attachments(viewer, article),
        "related_articles": related_articles(viewer, article, [topic.pk for topic in topics]),
        "may_report": viewer.is_member,
    }
