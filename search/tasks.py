"""Slow search work, run by django-tasks (at once by default, by `db_worker` in production)."""

import logging

from django_tasks import task

log = logging.getLogger(__name__)


@task()
def reindex_pages(page_ids):
    from . import index

    index.update_pages(page_ids, inline=True)


@task()
def push_to_engine(updated, removed):
    """Copy documents from the database to the external engine (Elasticsearch)."""
    from .engines import external_engine
    from .models import SearchDocument

    engine = external_engine()
    if engine is None:
        return
    try:
        if removed:
            engine.remove(removed)
        if updated:
            engine.index(SearchDocument.objects.filter(key__in=updated).prefetch_related("facets"))
    except Exception:
        log.exception("search: the external engine could not be updated (run `search_index rebuild`)")
