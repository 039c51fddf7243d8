"""One search document per thing the club can find (DESIGN.md, "How the pieces talk").

A document is built by the indexer its app registered (`search.registry`) and carries everything the
engines need to answer a query for a viewer without touching the content again: what it is, the text
anyone who may *know* it may match (title and teaser), the text only those who may *read* it may match
(body), its two audiences and group from the access policy, the paths that give editors their reach,
and its facet values. The SQLite and PostgreSQL engines search these rows directly (an FTS5 table kept
by triggers, or tsvector columns kept by a trigger); Elasticsearch holds a copy.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model_string

from members.models import Audience


class SearchDocument(models.Model):
    key = models.CharField(max_length=80, unique=True)  # "page:12", "document:5", "person:3"
    kind = models.CharField(max_length=40, db_index=True)
    object_id = models.BigIntegerField()
    url = models.CharField(max_length=500)
    title = models.CharField(max_length=500)
    teaser = models.TextField(blank=True)  # summary, topics, source, author: for whoever may know it
    body = models.TextField(blank=True)  # body, commentary, decisions, document text: for readers only
    section = models.CharField(max_length=40, db_index=True)
    language = models.CharField(max_length=12, blank=True, db_index=True)  # "" for what has no language
    translation_key = models.CharField(max_length=40, blank=True, db_index=True)
    know = models.CharField(max_length=10, choices=Audience.choices, db_index=True)
    read = models.CharField(max_length=10, choices=Audience.choices)
    group_id = models.IntegerField(null=True, blank=True, db_index=True)
    # Editors and leads read what they edit: the page's tree path, or the document's collection path.
    page_path = models.CharField(max_length=255, blank=True, db_index=True)
    collection_path = models.CharField(max_length=255, blank=True)
    date = models.DateTimeField(null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [
            models.Index(fields=["kind", "object_id"], name="search_doc_object"),
            # Everything the policy, the filters, the facets and the date sort read of a matched row,
            # reached by id: an engine checking 100,000 matches never reads the texts (DESIGN.md targets).
            models.Index(
                fields=[
                    "id", "know", "read", "group_id", "kind", "section", "language", "translation_key", "date",
                    "page_path", "collection_path",
                ],
                name="search_doc_policy",
            ),
            models.Index(fields=["language", "translation_key"], name="search_doc_translation"),
        ]

    def __str__(self):
        return self.key


class SearchFacet(models.Model):
    """A facet value of a document (a cluster, a topic, a working group), counted over the matches."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="facets")
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=100)
    label = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("search facet")
        indexes = [
            models.Index(fields=["facet", "value"], name="search_facet_value"),
            # Facet counts over the matches read only this index.
            models.Index(fields=["document", "facet", "value", "label"], name="search_facet_counts"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["document", "facet", "value"], name="search_facet_once_per_document")
        ]

    def __str__(self):
        return f"{self.facet}={self.value}"


class UnansweredQuery(models.Model):
    """Queries that found nothing, for the editors' report (Wagtail's query log counts the others)."""

    query_string = models.CharField(max_length=255, unique=True)
    hits = models.PositiveIntegerField(default=0)
    last_seen = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("query without results")
        verbose_name_plural = _("queries without results")

    def __str__(self):
        return self.query_string


class ExtractedText(models.Model):
    """The text of a document's file, read once when the file arrives (search.documents).

    Kept beside the document rather than re-read at each rebuild: reading a PDF is slow, and the file's
    size and hash tell whether a new upload needs reading again.
    """

    class Outcome(models.TextChoices):
        READ = "read", _("Read")
        TOO_LARGE = "too_large", _("Too large to read")
        UNSUPPORTED = "unsupported", _("Format not read")
        FAILED = "failed", _("Could not be read")

    document = models.OneToOneField(
        get_document_model_string(), on_delete=models.CASCADE, related_name="cercle_extracted_text"
    )
    text = models.TextField(blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.READ)
    file_name = models.CharField(max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    file_hash = models.CharField(max_length=64, blank=True)
    extracted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("extracted document text")
        verbose_name_plural = _("extracted document texts")

    def __str__(self):
        return self.file_name
