"""SQLite's FTS5 over the search documents: the embedded default.

`cercle_search_fts` is an external-content FTS5 table over `cercle_search_searchdocument` (title,
teaser, body), kept in step by triggers in the same transaction as the rows, with the `unicode61`
tokenizer folding accents. Query words are light French stems matched as prefixes (search.query).

A query runs in two branches, united: documents the viewer may *read* match on all three columns;
documents the viewer may only *know* match on title and teaser alone (an FTS5 column filter), so a
word that is only in a premium body never finds the article for a basic member. `bm25()` ranks inside
each branch; snippets come from the body only in the first branch, from the teaser in the second.
"""

from django.db import connection
from django.db.models.expressions import RawSQL

from ..models import SearchDocument
from .base import MARK_CLOSE, MARK_OPEN, DatabaseEngine, Hit, Results, candidates, facet_counts, highlight

FTS = "cercle_search_fts"
DOCS = SearchDocument._meta.db_table
WEIGHTS = "10.0, 3.0, 1.0"  # title, teaser, body


def match_expression(parsed, columns=None):
    """The FTS5 query for a parsed query: every term required, each word a prefix of its stem."""
    parts = []
    for term in parsed.terms:
        phrase = " + ".join(f'"{s}"*' for s in term.stems if s)
        if phrase:
            parts.append(f"({phrase})" if term.is_phrase else phrase)
    expression = " AND ".join(parts)
    if columns:
        expression = "{" + " ".join(columns) + "} : (" + expression + ")"
    return expression


def _sql(queryset):
    sql, params = queryset.values("pk").query.sql_with_params()
    return sql, list(params)


class SQLiteEngine(DatabaseEngine):
    name = "sqlite"

    def _matched(self, request, titles_only=False):
        """SQL for (id, rank, readable) of every match the viewer may see, and its parameters."""
        readable_sql, readable_params = _sql(candidates(request, "read"))
        known_sql, known_params = _sql(candidates(request, "know").exclude(pk__in=candidates(request, "read")))
        if titles_only:
            full = teaser = match_expression(request.query, ["title"])
        else:
            full = match_expression(request.query)
            teaser = match_expression(request.query, ["title", "teaser"])
        sql = (
            f"SELECT rowid AS id, bm25({FTS}, {WEIGHTS}) AS rank, 1 AS readable FROM {FTS} "
            f"WHERE {FTS} MATCH %s AND rowid IN ({readable_sql}) "
            f"UNION ALL "
            f"SELECT rowid AS id, bm25({FTS}, {WEIGHTS}) AS rank, 0 AS readable FROM {FTS} "
            f"WHERE {FTS} MATCH %s AND rowid IN ({known_sql})"
        )
        return sql, [full, *readable_params, teaser, *known_params]

    def search(self, request, titles_only=False):
        if not request.query:
            return Results(hits=[], total=0, facets={}, engine=self.name)
        matched_sql, params = self._matched(request, titles_only)
        if request.sort == "date":
            order = "ORDER BY d.date IS NULL, d.date DESC, m.rank"
        else:
            order = "ORDER BY m.rank, d.date DESC"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT m.id, m.rank, m.readable, count(*) OVER () FROM ({matched_sql}) m "
                f"JOIN {DOCS} d ON d.id = m.id {order} LIMIT %s OFFSET %s",
                [*params, request.per_page, request.offset],
            )
            rows = cursor.fetchall()
            total = rows[0][3] if rows else 0
            if not rows and request.offset:
                cursor.execute(f"SELECT count(*) FROM ({matched_sql}) m", params)
                total = cursor.fetchone()[0]
        documents = SearchDocument.objects.in_bulk([row[0] for row in rows])
        snippets = self._snippets(request, [(row[0], bool(row[2])) for row in rows]) if not titles_only else {}
        hits = [
            Hit(document=documents[pk], snippet=snippets.get(pk, ""), readable=bool(readable), score=-rank)
            for pk, rank, readable, _total in rows
            if pk in documents
        ]
        facets = {}
        if request.with_facets and total:
            matched = SearchDocument.objects.filter(pk__in=RawSQL(f"SELECT id FROM ({matched_sql})", params))
            facets = facet_counts(matched)
        return Results(hits=hits, total=total, facets=facets, engine=self.name)

    def _snippets(self, request, rows):
        """Snippets for a page of hits: the body (or teaser) for readers, the teaser alone for others."""
        snippets = {}
        if not rows:
            return snippets
        expression = match_expression(request.query)
        teaser_expression = match_expression(request.query, ["title", "teaser"])
        mark = [MARK_OPEN, MARK_CLOSE, "…", 28]
        with connection.cursor() as cursor:
            for readable in (True, False):
                ids = [pk for pk, r in rows if r == readable]
                if not ids:
                    continue
                placeholders = ", ".join(["%s"] * len(ids))
                cursor.execute(
                    f"SELECT rowid, snippet({FTS}, 2, %s, %s, %s, %s), snippet({FTS}, 1, %s, %s, %s, %s) "
                    f"FROM {FTS} WHERE {FTS} MATCH %s AND rowid IN ({placeholders})",
                    [*mark, *mark, expression if readable else teaser_expression, *ids],
                )
                for pk, body, teaser in cursor.fetchall():
                    text = body if readable and MARK_OPEN in (body or "") else teaser
                    snippets[pk] = highlight(text)
        return snippets

    def rebuild(self):
        """Rebuild the full-text index from the rows, in one transaction: searches see the old index until
        it commits (WAL), then the new one."""
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
            cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")
