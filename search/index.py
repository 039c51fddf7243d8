"""Keeping the search documents in step with what they describe.

The rows live in the project's database and are written in the same transaction as the change that
caused them (a publication, a move, an audience change): the SQLite and PostgreSQL engines index them
there and then, so a page is never found by someone who may no longer see it, not even for the
duration of a task. An external engine (Elasticsearch) is told after the commit, through a task.
"""

import logging

from django.db import transaction

from . import registry
from .models import SearchDocument, SearchFacet

log = logging.getLogger(__name__)

# Above this many documents, a change (a section's audience, a rebuild) is done by a task after commit.
INLINE_LIMIT = 200


def _store(data):
    """Write one document's row and facets; returns the row."""
    fields = {
        f: getattr(data, f)
        for f in (
            "kind",
            "object_id",
            "url",
            "title",
            "teaser",
            "body",
            "section",
            "language",
            "translation_key",
            "know",
            "read",
            "group_id",
            "page_path",
            "collection_path",
            "date",
        )
    }
    fields["title"] = fields["title"][:500]
    fields["url"] = fields["url"][:500]
    doc, created = SearchDocument.objects.update_or_create(key=data.key, defaults=fields)
    wanted = {(f, str(v)[:100]): str(label)[:200] for f, v, label in data.facets}
    if not created:
        existing = {(f.facet, f.value): f for f in doc.facets.all()}
        stale = [f.pk for k, f in existing.items() if k not in wanted]
        if stale:
            SearchFacet.objects.filter(pk__in=stale).delete()
        for k, f in existing.items():
            if k in wanted and f.label != wanted[k]:
                f.label = wanted[k]
                f.save(update_fields=["label"])
        wanted = {k: v for k, v in wanted.items() if k not in existing}
    SearchFacet.objects.bulk_create(
        [SearchFacet(document=doc, facet=f, value=v, label=label) for (f, v), label in wanted.items()]
    )
    return doc


def build(obj):
    """The document data of an object, or None if it should not be found (or nothing indexes it)."""
    indexer = registry.indexer_for(obj)
    if indexer is None:
        return None
    try:
        return indexer.build(obj)
    except Exception:  # a broken object must not stop a publication or a rebuild
        log.exception("search: could not build the document of %r", obj)
        return None


def key_of(obj):
    indexer = registry.indexer_for(obj)
    return indexer.key(obj) if indexer else None


def update(obj):
    """Bring the document of one object in step: written, rewritten or removed."""
    key = key_of(obj)
    if key is None:
        return
    data = build(obj)
    if data is None:
        remove_keys([key])
        return
    _store(data)
    tell_engine([key], [])


def remove(obj):
    key = key_of(obj)
    if key is not None:
        remove_keys([key])


def remove_keys(keys):
    keys = [k for k in keys if k]
    if not keys:
        return
    SearchDocument.objects.filter(key__in=keys).delete()
    tell_engine([], keys)


def update_pages(page_ids, inline=False):
    """Re-index pages by id (a section whose audience changed): inline when few, by a task when many."""
    page_ids = list(page_ids)
    if not inline and len(page_ids) > INLINE_LIMIT:
        from .tasks import reindex_pages

        transaction.on_commit(lambda: reindex_pages.enqueue(page_ids=page_ids))
        return
    from wagtail.models import Page

    found = set()
    for page in Page.objects.filter(pk__in=page_ids).specific(defer=False):
        found.add(page.pk)
        update(page)
    remove_keys([f"page:{pk}" for pk in page_ids if pk not in found])


def store_all(progress=None):
    """Write every document anew and remove those whose object is gone. Returns the number written.

    Rows are replaced one by one, so searches keep answering during a rebuild; documents that no
    longer exist are removed at the end.
    """
    seen = set()
    for indexer in registry.indexers():
        queryset = indexer.queryset()
        for obj in queryset.iterator(chunk_size=500) if hasattr(queryset, "iterator") else queryset:
            data = build(obj)
            if data is not None:
                with transaction.atomic():
                    _store(data)
                seen.add(data.key)
            if progress:
                progress(indexer.kind)
    # Compared in Python and deleted in batches: an IN list of every key seen would pass SQLite's limit
    # of 32,766 parameters long before the club's index grows that large.
    stale_keys = [k for k in SearchDocument.objects.values_list("key", flat=True).iterator() if k not in seen]
    for start in range(0, len(stale_keys), 500):
        SearchDocument.objects.filter(key__in=stale_keys[start : start + 500]).delete()
    return len(seen)


def tell_engine(updated_keys, removed_keys):
    """Tell the external engine (if any) after the commit; the database engines need nothing."""
    from .engines import external_engine

    if external_engine() is None:
        return
    from .tasks import push_to_engine

    def push():
        try:
            push_to_engine.enqueue(updated=list(updated_keys), removed=list(removed_keys))
        except Exception:  # the database stays right; `search_index rebuild` catches the engine up
            log.exception("search: could not queue the update of the external engine")

    transaction.on_commit(push)
