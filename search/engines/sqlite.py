"""SQLite's FTS5 over the search documents: the embedded default.

`cercle_search_fts` is an external-content FTS5 table over `cercle_search_searchdocument` (title,
teaser, body), kept in step by triggers in the same transaction as the rows, with the `unicode61`
tokenizer folding accents. Query words are light French stems matched as prefixes (search.query).

A search collects its matches once, in a temporary table of the connection, then reads the page,
the total and the facets from it:

- first, title and teaser matches of every document the viewer may *know*, ranked by `bm25()`;
- then, matches that need the body (all columns) of the documents the viewer may *read* only (a word
  that is only in a premium body never finds the article for a basic member), ranked after the first
  ones: by `bm25()` when the word is rare enough, else by date, since scoring tens of thousands of body
  matches of a common word would cost more than it tells (DESIGN.md's targets; bench/search.py measures it).

The policy is a condition on the document row, read through a covering index, never the texts; FTS5
drives the join (`CROSS JOIN`), so the word's matches are read once whatever the number of documents.
Snippets come from the body only for readable hits, from the teaser for the others.
"""

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection

from .. import policy
from ..models import SearchDocument
from .base import (
    MARK_CLOSE,
    MARK_OPEN,
    DatabaseEngine,
    Hit,
    Results,
    assemble_facets,
    filters_q,
    highlight,
    period_starts,
)

FTS = "cercle_search_fts"
VOCAB = "cercle_search_fts_vocab"
DOCS = SearchDocument._meta.db_table
FACETS_TABLE = "cercle_search_searchfacet"
HITS = "temp.cercle_search_hits"
WEIGHTS = "10.0, 3.0, 1.0"  # title, teaser, body
BODY_TIER = 1_000_000.0  # body-only matches rank after every title or teaser match
RANK_BODY_UP_TO = 3000
# Copied beside each match, so that ordering the page and counting the facets read only the matches.
COPIED = "date, kind, section"  # documents holding the word, above which body matches are ordered by date


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


def _where(q):
    """The SQL condition of a Q on search documents, naming the table by its own name, and its params."""
    query = SearchDocument.objects.filter(q).query
    try:
        sql, params = query.get_compiler(connection=connection).compile(query.where)
    except FullResultSet:  # no condition at all (staff, no filter)
        return "1", []
    except EmptyResultSet:  # a condition nothing satisfies
        return "0", []
    return (sql or "1"), list(params)


def _prefix_end(stem):
    return stem[:-1] + chr(ord(stem[-1]) + 1)


class SQLiteEngine(DatabaseEngine):
    name = "sqlite"

    def _documents_holding(self, cursor, parsed):
        """At most how many documents hold every term (the rarest term's count of documents)."""
        counts = []
        for term in parsed.terms:
            for stem in term.stems:
                if stem:
                    cursor.execute(
                        f"SELECT coalesce(sum(doc), 0) FROM {VOCAB} WHERE term >= %s AND term < %s",
                        [stem, _prefix_end(stem)],
                    )
                    counts.append(cursor.fetchone()[0])
        return min(counts, default=0)

    def _collect(self, cursor, request):
        """Fill the temporary table of matches (id, rank, readable) for this request."""
        know_where, know_params = _where(policy.know_q(request.viewer) & filters_q(request))
        read_where, read_params = _where(policy.read_q(request.viewer))
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS cercle_search_hits (id INTEGER PRIMARY KEY, rank REAL NOT NULL, "
            "readable INTEGER NOT NULL, date TEXT, kind TEXT NOT NULL, section TEXT NOT NULL)"
        )
        cursor.execute(f"DELETE FROM {HITS}")
        copied = ", ".join(f"{DOCS}.{column}" for column in COPIED.split(", "))
        join = f"FROM {FTS} CROSS JOIN {DOCS} INDEXED BY search_doc_policy ON {DOCS}.id = {FTS}.rowid"
        cursor.execute(
            f"INSERT INTO {HITS} (id, rank, readable, {COPIED}) "
            f"SELECT {FTS}.rowid, bm25({FTS}, {WEIGHTS}), CASE WHEN {read_where} THEN 1 ELSE 0 END, {copied} "
            f"{join} WHERE {FTS} MATCH %s AND {know_where}",
            [*read_params, match_expression(request.query, ["title", "teaser"]), *know_params],
        )
        rank = f"{BODY_TIER} + bm25({FTS}, {WEIGHTS})"
        if self._documents_holding(cursor, request.query) > RANK_BODY_UP_TO:
            rank = f"{BODY_TIER}"
        cursor.execute(
            f"INSERT OR IGNORE INTO {HITS} (id, rank, readable, {COPIED}) "
            f"SELECT {FTS}.rowid, {rank}, 1, {copied} {join} WHERE {FTS} MATCH %s AND {know_where} AND {read_where}",
            [match_expression(request.query), *know_params, *read_params],
        )

    def search(self, request, titles_only=False):
        if not request.query:
            return Results(hits=[], total=0, facets={}, engine=self.name)
        if titles_only:
            return self._titles(request)
        if request.sort == "date":
            order = "h.date IS NULL, h.date DESC, h.rank"
        else:
            order = "h.rank, h.date DESC"
        with connection.cursor() as cursor:
            self._collect(cursor, request)
            cursor.execute(f"SELECT count(*) FROM {HITS}")
            total = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT h.id, h.rank, h.readable FROM {HITS} h ORDER BY {order} LIMIT %s OFFSET %s",
                [request.per_page, request.offset],
            )
            rows = cursor.fetchall()
            facets = self._facets(cursor) if request.with_facets and total else {}
        documents = SearchDocument.objects.in_bulk([row[0] for row in rows])
        snippets = self._snippets(request, [(row[0], bool(row[2])) for row in rows])
        hits = [
            Hit(document=documents[pk], snippet=snippets.get(pk, ""), readable=bool(readable), score=-rank)
            for pk, rank, readable in rows
            if pk in documents
        ]
        return Results(hits=hits, total=total, facets=facets, engine=self.name)

    def _facets(self, cursor):
        starts = [connection.ops.adapt_datetimefield_value(since) for since in period_starts().values()]
        cursor.execute(
            "SELECT kind, section, count(*), coalesce(sum(date >= %s), 0), coalesce(sum(date >= %s), 0), "
            f"coalesce(sum(date >= %s), 0) "
            f"FROM {HITS} GROUP BY 1, 2",
            starts,
        )
        grouped = []
        for kind, section, n, week, month, year in cursor.fetchall():
            # As (kind, section, in week, in month, in year, count) rows: each match counted once.
            grouped += [
                (kind, section, True, True, True, week),
                (kind, section, False, True, True, month - week),
                (kind, section, False, False, True, year - month),
                (kind, section, False, False, False, n - year),
            ]
        cursor.execute(
            f"SELECT f.facet, f.value, f.label, count(*) FROM {HITS} h "
            f"CROSS JOIN {FACETS_TABLE} f INDEXED BY search_facet_counts ON f.document_id = h.id GROUP BY 1, 2, 3"
        )
        return assemble_facets(grouped, cursor.fetchall())

    def _titles(self, request):
        """Title matches the viewer may know of, best first: the header box's suggestions."""
        know_where, know_params = _where(policy.know_q(request.viewer) & filters_q(request))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {FTS}.rowid FROM {FTS} CROSS JOIN {DOCS} INDEXED BY search_doc_policy "
                f"ON {DOCS}.id = {FTS}.rowid WHERE {FTS} MATCH %s AND {know_where} "
                f"ORDER BY bm25({FTS}, {WEIGHTS}) LIMIT %s",
                [match_expression(request.query, ["title"]), *know_params, request.per_page],
            )
            ids = [row[0] for row in cursor.fetchall()]
        documents = SearchDocument.objects.in_bulk(ids)
        hits = [Hit(document=documents[pk], snippet="", readable=False) for pk in ids if pk in documents]
        return Results(hits=hits, total=len(hits), facets={}, engine=self.name)

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
                # "+rowid": the ids filter the matches; as an FTS5 constraint they would re-run the query
                # once per id.
                cursor.execute(
                    f"SELECT rowid, snippet({FTS}, 2, %s, %s, %s, %s), snippet({FTS}, 1, %s, %s, %s, %s) "
                    f"FROM {FTS} WHERE {FTS} MATCH %s AND +rowid IN ({placeholders})",
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
