"""Cercle's one search: `search(text, viewer, filters, sort, page)`, whatever the engine.

The engine is Elasticsearch when ELASTICSEARCH_URL is set, else the database's own (SQLite FTS5 or
PostgreSQL full text). If Elasticsearch cannot answer, the database engine does, and the failure is
logged: a search never ends on an error page.
"""

import dataclasses
import logging

from django.utils.translation import gettext_lazy as _

from .engines import database_engine, external_engine
from .engines.base import SORTS, Results, SearchRequest
from .query import MAX_LENGTH, parse

log = logging.getLogger(__name__)

PER_PAGE = 20
PEOPLE_SHOWN = 6
PEOPLE_KIND = "person"


@dataclasses.dataclass
class Answer:
    """What the results page shows: the parsed query, the results, the people block, notices."""

    query: object
    results: Results
    people: list
    notices: list
    page: int
    per_page: int

    @property
    def pages(self):
        return max(1, -(-self.results.total // self.per_page))


def _engines():
    external = external_engine()
    return [external, database_engine()] if external is not None else [database_engine()]


def run(request):
    """One engine request, with the database engine standing in for an unreachable external one."""
    engines = _engines()
    for engine in engines[:-1]:
        try:
            return engine.search(request)
        except Exception:
            log.warning("search: %s did not answer; the database engine answers instead", engine.name, exc_info=True)
    return engines[-1].search(request)


def search(text, viewer, filters=None, sort="relevance", page=1, per_page=PER_PAGE, language=""):
    parsed = parse(text)
    notices = []
    if parsed.truncated:
        notices.append(_("Your search was too long: only its first %(n)s characters were used.") % {"n": MAX_LENGTH})
    sort = sort if sort in SORTS else "relevance"
    page = max(1, min(int(page or 1), 500))
    request = SearchRequest(
        query=parsed,
        viewer=viewer,
        filters=dict(filters or {}),
        sort=sort,
        page=page,
        per_page=per_page,
        language=language,
        exclude_kinds=(PEOPLE_KIND,),
    )
    if not parsed:
        return Answer(parsed, Results(hits=[], total=0, facets={}), [], notices, page, per_page)
    results = run(request)
    people = []
    # Visitors never see people; members see those who show themselves in the directory.
    if viewer.is_member and page == 1 and not any((filters or {}).values()):
        people = run(
            SearchRequest(query=parsed, viewer=viewer, per_page=PEOPLE_SHOWN, kinds=(PEOPLE_KIND,), with_facets=False)
        ).hits
    return Answer(parsed, results, people, notices, page, per_page)


def autocomplete(text, viewer, limit=8, language=""):
    for engine in _engines():
        try:
            return engine.autocomplete(text, viewer, limit=limit, language=language)
        except Exception:
            log.warning("search: %s could not suggest; trying the next engine", engine.name, exc_info=True)
    return []
