"""The club's documents (Wagtail's document library) as search documents, and the text read from them.

A document is known and read by its collection's audience (`members.access.collection_audience`), as its
download is; the editors of a collection reach it through its path. Whoever may know it matches its
title, tags and file name; only its readers match the text of the file.

That text is read once, when a file arrives (the document's post_save), and kept in `ExtractedText`
with the file's size and hash, so a change of title or collection does not read the file again. PDF
(pypdf), Word (python-docx) and plain text (.txt, .md, .csv) are read; other formats give no text.
Files above `CERCLE_SEARCH_EXTRACT_MAX_BYTES` are not read at all, and the text is cut at
`MAX_CHARACTERS`. Reading never fails an upload: a broken file gives no text and a log line.
"""

import hashlib
import io
import logging
import os

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.models import Collection

from members.access import collection_audience
from members.models import CollectionAudience

from . import index
from .models import ExtractedText
from .registry import DocumentData, Indexer, join_text, register

log = logging.getLogger(__name__)

Document = get_document_model()

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # the upload limit (WAGTAILDOCS_MAX_UPLOAD_SIZE) too
MAX_CHARACTERS = 200_000  # about a hundred pages: enough to be found, not a whole archive per row
PLAIN_TEXT = {".txt", ".md", ".csv"}


def max_bytes():
    return getattr(settings, "CERCLE_SEARCH_EXTRACT_MAX_BYTES", DEFAULT_MAX_BYTES)


# --- Reading a file ----------------------------------------------------------------------------------


class Unsupported(Exception):
    """A format whose text is not read."""


def _pdf_text(data):
    from pypdf import PdfReader

    parts, length = [], 0
    for page in PdfReader(io.BytesIO(data)).pages:
        text = page.extract_text() or ""
        parts.append(text)
        length += len(text)
        if length >= MAX_CHARACTERS:  # the rest would be cut anyway: spare the reading
            break
    return "\n".join(parts)


def _docx_text(data):
    import docx

    word = docx.Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def text_of(file_name, data):
    """The text of a file's content, by its extension; raises Unsupported or the reader's error."""
    extension = os.path.splitext(file_name)[1].lower()
    if extension == ".pdf":
        text = _pdf_text(data)
    elif extension == ".docx":
        text = _docx_text(data)
    elif extension in PLAIN_TEXT:
        text = data.decode("utf-8", errors="replace")
    else:
        raise Unsupported(extension)
    # PostgreSQL refuses NUL characters in text; PDFs sometimes carry them.
    return text.replace("\x00", " ").strip()[:MAX_CHARACTERS]


def _unchanged(row, document):
    """Whether the stored text is of the file the document holds now (a title or collection change)."""
    if row is None or row.file_name != document.file.name:
        return False
    if document.file_hash and row.file_hash and document.file_hash != row.file_hash:
        return False
    return document.file_size is None or row.file_size is None or document.file_size == row.file_size


def extract(document, force=False):
    """Read the document's file into its `ExtractedText` unless it was read already; never raises."""
    try:
        row = ExtractedText.objects.filter(document=document).first()
        if not force and _unchanged(row, document):
            return row
        return _read(document, row, force)
    except Exception:  # an upload must never fail because its text could not be read
        log.exception("search: could not read the text of document %s", document.pk)
        return None


def _read(document, row, force):
    name = document.file.name
    fields = {"file_name": name, "text": "", "file_hash": "", "extracted_at": timezone.now()}
    storage = document.file.storage
    try:
        size = storage.size(name)
    except Exception:
        log.warning("search: the file of document %s (%s) cannot be found", document.pk, name)
        return _save(document, row, fields, ExtractedText.Outcome.FAILED)
    fields["file_size"] = size
    if size > max_bytes():
        log.info("search: document %s (%s, %s bytes) is too large to be read", document.pk, name, size)
        return _save(document, row, fields, ExtractedText.Outcome.TOO_LARGE)
    if os.path.splitext(name)[1].lower() not in {".pdf", ".docx", *PLAIN_TEXT}:
        return _save(document, row, fields, ExtractedText.Outcome.UNSUPPORTED)
    with storage.open(name, "rb") as f:
        data = f.read(max_bytes() + 1)
    fields["file_hash"] = hashlib.sha1(data).hexdigest()
    if row is not None and not force and row.file_hash == fields["file_hash"] and row.outcome == row.Outcome.READ:
        fields["text"] = row.text  # the same content under another name: no need to read it again
        return _save(document, row, fields, ExtractedText.Outcome.READ)
    try:
        fields["text"] = text_of(name, data)
    except Exception as error:
        log.warning("search: the text of document %s (%s) could not be read: %r", document.pk, name, error)
        return _save(document, row, fields, ExtractedText.Outcome.FAILED)
    return _save(document, row, fields, ExtractedText.Outcome.READ)


def _save(document, row, fields, outcome):
    fields["outcome"] = outcome
    row, _created = ExtractedText.objects.update_or_create(document=document, defaults=fields)
    return row


# --- The search document -----------------------------------------------------------------------------


@register
class DocumentIndexer(Indexer):
    model = Document
    kind = "document"
    label = _("Document")
    section = "documents"

    def queryset(self):
        return Document.objects.select_related("collection").prefetch_related("tags")

    def build(self, document):
        audience, group_id = collection_audience(document.collection_id)
        text = ExtractedText.objects.filter(document_id=document.pk).values_list("text", flat=True).first()
        return DocumentData(
            key=self.key(document),
            kind=self.kind,
            object_id=document.pk,
            url=document.url,
            title=document.title,
            section=self.section,
            know=audience,
            read=audience,
            group_id=group_id,
            teaser=join_text([sorted(tag.name for tag in document.tags.all()), document.filename]),
            body=text or "",
            collection_path=document.collection.path,
            date=document.created_at,
        )


def extract_missing():
    """Read the files of documents uploaded before their text was kept (or during a failed upload)."""
    for document in Document.objects.filter(cercle_extracted_text__isnull=True).iterator(chunk_size=100):
        extract(document)
        index.update(document)


def update_documents_of(collection_ids):
    for document in DocumentIndexer().queryset().filter(collection_id__in=list(collection_ids)):
        index.update(document)


# --- Signals ----------------------------------------------------------------------------------------


@receiver(post_save, sender=Document)
def document_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """A new file is read; a new title, file or collection (another audience) rewrites the document."""
    if raw or (update_fields is not None and set(update_fields) <= {"file_size", "file_hash"}):
        return  # Wagtail noting the size or hash of a file it serves
    extract(instance)
    index.update(instance)


@receiver(post_delete, sender=Document)
def document_deleted(sender, instance, **kwargs):
    index.remove_keys([f"document:{instance.pk}"])


@receiver(m2m_changed, sender=Document.tags.through)
def document_tags_changed(sender, instance, action, **kwargs):
    # Wagtail's forms write the tags after saving the document. The through model is shared with
    # images: only documents matter here.
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Document):
        index.update(instance)


@receiver(post_save, sender=Tag)
def tag_renamed(sender, instance, created, raw=False, **kwargs):
    if not raw and not created:
        for document in DocumentIndexer().queryset().filter(tags=instance):
            index.update(document)


@receiver(post_save, sender=CollectionAudience)
@receiver(post_delete, sender=CollectionAudience)
def collection_audience_changed(sender, instance, raw=False, origin=None, **kwargs):
    """A collection's audience is its documents' audience: they follow it in the same transaction."""
    if raw or isinstance(origin, Collection):
        return  # a deleted collection takes its documents with it (their post_delete removes them)
    update_documents_of([instance.collection_id])
