"""PostgreSQL's full-text search over the search documents, chosen when DATABASE_URL is PostgreSQL.

Migration 0004 gives `cercle_search_searchdocument` two weighted tsvector columns (the larger under a
GIN index), kept by a trigger in the same transaction as the row: `search_teaser` (title A, teaser B) and
`search_all` (the same and the body C). Title and teaser are held as French snowball stems
(`cercle_fr`) and as folded words (`cercle_fold`), the body as stems only; all without accents.

A query word matches its snowball stem exactly ("développer" finds "développement") or, through its
light stem from `search.query`, any word it begins ("réseaux" → "reseau" finds "réseau" and "réseaux";
"numériq" finds "numérique" in a title or teaser, where a word being typed is looked for). The words
come from the parsed query, reduced to letters and digits and quoted, so nothing a person types
reaches `to_tsquery` as syntax.

The policy runs in the query, as on SQLite, in two branches: documents the viewer may *read* match on
`search_all`; documents the viewer may only *know* match on `search_teaser`, so a word that is only in
a premium body never finds the article for a basic member. `ts_rank_cd` ranks on the column the
viewer matched, plus one when the title alone has every word; snippets come from `ts_headline` over
the body only for readable hits, over the teaser for the others.
"""

from django.db import connection, transaction
from django.db.models import BooleanField, Case, Count, F, FloatField, Q, Value, When, Window
from django.db.models.expressions import Expression

from .. import policy
from ..models import SearchDocument
from .base import MARK_CLOSE, MARK_OPEN, DatabaseEngine, Hit, Results, facet_counts, filters_q, highlight

DOCS = SearchDocument._meta.db_table
# ts_rank_cd's weights for D, C (body), B (teaser), A (title).
WEIGHTS = "{0.05, 0.1, 0.4, 1.0}"
# 32: rank / (rank + 1), so the title bonus (1) always outweighs the density of the words.
NORMALIZATION = 32
BODY_LIMIT = 200_000  # as in migration 0004: the part of a body that is indexed, and headlined
HEADLINE = (
    f'StartSel="{MARK_OPEN}", StopSel="{MARK_CLOSE}", MaxWords=30, MinWords=12, ShortWord=2, '
    'MaxFragments=2, FragmentDelimiter=" … "'
)


class DocumentSQL(Expression):
    """Raw SQL on the documents' own columns, written `{docs}.column`: the alias of the documents' table
    is found when compiling, so the same expression works in a subquery (the facets, the count)."""

    def __init__(self, template, params, output_field):
        super().__init__(output_field=output_field)
        self.template, self.params = template, list(params)

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return self.template.replace("{docs}", alias), self.params

    def get_group_by_cols(self):
        return [self]


def _lexeme(word):
    """A word as a quoted tsquery lexeme: letters and digits only, so it can be nothing else."""
    word = "".join(c for c in word if c.isalnum())
    return f"'{word}'" if word else ""


def _word_query(word, stem, label=""):
    """SQL and parameters for one word: its French stem exactly, or its light stem as a prefix."""
    parts, params = [], []
    if _lexeme(word):
        parts.append("to_tsquery('cercle_fr', %s)")
        params.append(_lexeme(word) + (f":{label}" if label else ""))
    if _lexeme(stem):
        parts.append("to_tsquery('cercle_fold', %s)")
        params.append(_lexeme(stem) + f":*{label}")
    if not parts:
        return "", []
    return "(" + " || ".join(parts) + ")", params


def tsquery_sql(parsed, label="", any_term=False):
    """SQL for the tsquery of a parsed query, and its parameters.

    Every term is required (`&&`), the words of a phrase follow one another (`tsquery_phrase`);
    `label` restricts the match to a weight ("A": the title); `any_term` joins the terms with `||`
    (for headlines: mark every word found, even where the others are elsewhere)."""
    terms, params = [], []
    for term in parsed.terms:
        words = term.text.split() if term.is_phrase else [term.text]
        if len(words) != len(term.stems):
            words = list(term.stems)
        sql = ""
        for word, stem in zip(words, term.stems, strict=True):
            word_sql, word_params = _word_query(word, stem, label)
            if not word_sql:
                continue
            sql = f"tsquery_phrase({sql}, {word_sql})" if sql else word_sql
            params.extend(word_params)
        if sql:
            terms.append(sql)
    if not terms:
        return "", []
    return "(" + (" || " if any_term else " && ").join(terms) + ")", params


class PostgresEngine(DatabaseEngine):
    name = "postgresql"

    def _matched(self, request, titles_only=False):
        """The documents the viewer may see that match, annotated with `readable` and `rank`;
        None when the query has no word left to look for."""
        query_sql, params = tsquery_sql(request.query, label="A" if titles_only else "")
        if not query_sql:
            return None
        title_sql, title_params = tsquery_sql(request.query, label="A")
        # A scalar subquery is computed once, not for every row.
        query = f"(SELECT {query_sql})"
        title = f"(SELECT {title_sql})"
        read_q = policy.read_q(request.viewer)
        know_q = policy.know_q(request.viewer)

        def condition(column):
            return DocumentSQL(f"{{docs}}.{column} @@ {query}", params, output_field=BooleanField())

        def rank(column):
            return DocumentSQL(
                f"ts_rank_cd('{WEIGHTS}', {{docs}}.{column}, {query}, {NORMALIZATION}) "
                f"+ CASE WHEN {{docs}}.search_teaser @@ {title} THEN 1 ELSE 0 END",  # the smaller vector
                [*params, *title_params],
                output_field=FloatField(),
            )

        # (read and body-or-teaser match) or (know and teaser match), written so that the GIN index on
        # search_all finds the candidates and only the teaser of a document the viewer may not read is
        # matched again (a teaser match is always a search_all match: search_all begins with it).
        matched = SearchDocument.objects.filter(filters_q(request)).filter(condition("search_all"))
        if not read_q:  # staff read everything (and an empty Q would vanish from the `|` below)
            return matched.annotate(readable=Value(True), rank=rank("search_all"))
        return matched.filter(read_q | Q(know_q & Q(condition("search_teaser")))).annotate(
            readable=Case(When(read_q, then=Value(True)), default=Value(False), output_field=BooleanField()),
            rank=Case(When(read_q, then=rank("search_all")), default=rank("search_teaser")),
        )

    def search(self, request, titles_only=False):
        empty = Results(hits=[], total=0, facets={}, engine=self.name)
        if not request.query:
            return empty
        matched = self._matched(request, titles_only)
        if matched is None:
            return empty
        if request.sort == "date":
            order = [F("date").desc(nulls_last=True), F("rank").desc(), "pk"]
        else:
            order = [F("rank").desc(), F("date").desc(nulls_last=True), "pk"]
        # The body stays in the database: the page needs only its snippet (a reader's template may still
        # ask for it, and gets it then).
        page = list(
            matched.defer("body").annotate(total=Window(Count("pk"))).order_by(*order)[
                request.offset : request.offset + request.per_page
            ]
        )
        total = page[0].total if page else 0
        if not page and request.offset:
            total = matched.count()
        snippets = {} if titles_only else self._snippets(request, page)
        hits = [
            Hit(
                document=document,
                snippet=snippets.get(document.pk, ""),
                readable=document.readable,
                score=document.rank,
            )
            for document in page
        ]
        facets = {}
        if request.with_facets and total:
            facets = facet_counts(SearchDocument.objects.filter(pk__in=matched.values("pk")))
        return Results(hits=hits, total=total, facets=facets, engine=self.name)

    def _snippets(self, request, page):
        """Snippets for a page of hits: from the body (or the teaser) for readers, the teaser alone for
        the others; the body of a document the viewer may not read is never even headlined."""
        if not page:
            return {}
        query_sql, params = tsquery_sql(request.query, any_term=True)
        readable = [document.pk for document in page if document.readable]
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH q AS (SELECT {query_sql} AS query) "
                f"SELECT d.id, "
                f"CASE WHEN d.id = ANY(%s) THEN ts_headline('cercle_fr', left(d.body, {BODY_LIMIT}), q.query, %s) END, "
                f"ts_headline('cercle_fr', d.teaser, q.query, %s) "
                f"FROM {DOCS} d, q WHERE d.id = ANY(%s)",
                [*params, readable, HEADLINE, HEADLINE, [document.pk for document in page]],
            )
            rows = cursor.fetchall()
        snippets = {}
        for pk, body, teaser in rows:
            text = body if body and MARK_OPEN in body else teaser
            snippets[pk] = highlight(text)
        return snippets

    def rebuild(self):
        """Recompute every document's vectors in one transaction: searches read the old ones until it
        commits (the trigger fills a vector set to NULL)."""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {DOCS} SET search_all = NULL, search_teaser = NULL")
