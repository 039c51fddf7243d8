"""What the search finds in the technology watch and the knowledge base.

A watch article's teaser (summary, source, topics) is for every member who may know it; its body and
the editors' commentary are the premium part, matched only for those who may read it in full.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from home.search import SectionIndexer, rich_text, stream_text
from members.services import person_name
from search.registry import PageIndexer, register
from search.registry import cluster_facets as registry_cluster_facets

from .models import (
    KnowledgeArticlePage,
    KnowledgeCategoryPage,
    KnowledgeIndexPage,
    TechWatchArticlePage,
    TechWatchIndexPage,
)


def _topics(page):
    """The page's topics in one order whatever the database (PostgreSQL returns tags unordered), so that a
    document written by a signal and by a rebuild are the same; sorted in Python to use the prefetch."""
    return sorted(page.topics.all(), key=lambda tag: (tag.name.lower(), tag.pk))


def as_datetime(day):
    """A calendar day as the aware moment the search sorts and filters on (noon: no time-zone slip)."""
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def topic_facets(page):
    return [("topic", tag.slug, tag.name) for tag in _topics(page)]


def cluster_facets(page):
    """The article's clusters, under search's rule (a cluster is named only to those who may know it)."""
    from .kb import article_clusters

    return registry_cluster_facets(page, article_clusters(page))


@register
class WatchIndexIndexer(SectionIndexer):
    model = TechWatchIndexPage
    kind = "watch_index"
    label = _("Technology watch")
    section = "watch"
    section_label = _("Technology watch")


@register
class WatchArticleIndexer(PageIndexer):
    model = TechWatchArticlePage
    kind = "watch_article"
    label = _("Technology-watch article")
    section = "watch"
    section_label = _("Technology watch")

    def queryset(self):
        return super().queryset().prefetch_related("topics")

    def teaser(self, page):
        return [page.search_description, page.summary, page.source_name, [tag.name for tag in _topics(page)]]

    def body(self, page):
        return [stream_text(page.body), rich_text(page.commentary)]

    def facets(self, page):
        return topic_facets(page) + cluster_facets(page)

    def date(self, page):
        # The watch is read by the date of what it reports, as its listing is sorted.
        return as_datetime(page.source_date) or super().date(page)


@register
class KnowledgeIndexIndexer(SectionIndexer):
    model = KnowledgeIndexPage
    kind = "knowledge_index"
    label = _("Knowledge base")
    section = "knowledge"
    section_label = _("Knowledge base")


@register
class KnowledgeCategoryIndexer(SectionIndexer):
    model = KnowledgeCategoryPage
    kind = "knowledge_category"
    label = _("Knowledge-base category")
    section = "knowledge"
    section_label = _("Knowledge base")


@register
class KnowledgeArticleIndexer(PageIndexer):
    model = KnowledgeArticlePage
    kind = "knowledge_article"
    label = _("Knowledge-base article")
    section = "knowledge"
    section_label = _("Knowledge base")

    def queryset(self):
        return super().queryset().prefetch_related("topics")

    def teaser(self, page):
        authors = page.authors.select_related("profile").order_by("last_name", "first_name", "pk")
        return [
            page.search_description,
            page.summary,
            [tag.name for tag in _topics(page)],
            [person_name(user) for user in authors],
        ]

    def body(self, page):
        return stream_text(page.body)

    def facets(self, page):
        return topic_facets(page) + cluster_facets(page)

    def date(self, page):
        # A guide is as recent as its last review.
        return as_datetime(page.last_reviewed) or super().date(page)
