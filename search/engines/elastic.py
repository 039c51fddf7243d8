"""Elasticsearch over a copy of the search documents, when ELASTICSEARCH_URL is set.

The rows in the project's database stay the truth (search.index writes them in the caller's
transaction); this engine holds a copy, pushed after commit by `search.tasks.push_to_engine` and
rebuilt whole by `manage.py search_index rebuild`. The copy lives in an index named
`<alias>-<timestamp>` behind the alias (settings.ELASTICSEARCH_SEARCH_INDEX, "cercle-search": not
Wagtail's own "cercle"), so a rebuild fills a new index and swaps the alias in one step.

A query mirrors the SQL engines: the access policy is a filter inside the query, made of a few
clauses from `search.policy.terms` (never one per page); a document the viewer may only *know*
matches on title and teaser, one it may *read* on the body too. Each query word is matched as SQLite
does, its light stem as a prefix of an accent-folded word, and also through Elasticsearch's French
analyzer (elision, folding, light French stemming) for the ranking. Nothing typed reaches a query
syntax: only the parsed words and stems (search.query) do, in `prefix`/`match` clauses.
"""

import datetime
import logging

from django.conf import settings
from django.utils import timezone
from elasticsearch import Elasticsearch, NotFoundError, helpers
from elasticsearch_dsl import (
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    Long,
    Q,
    Search,
    Text,
    analyzer,
    token_filter,
)

from .. import policy, registry
from ..models import SearchDocument, SearchFacet
from .base import FACETS, MARK_CLOSE, MARK_OPEN, PERIODS, Engine, Hit, Results, highlight, python_snippet

log = logging.getLogger(__name__)

DEFAULT_ALIAS = "cercle-search"
WEIGHTS = {"title": 10.0, "teaser": 3.0, "body": 1.0}  # as the SQL engines' bm25 weights
SNIPPET_SIZE = 200  # characters of a highlighted fragment
CHUNK = 500

french_elision = token_filter(
    "french_elision",
    type="elision",
    articles_case=True,
    articles=["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"],
)
french_stemmer = token_filter("french_light_stemmer", type="stemmer", language="light_french")
# The ranking analyzer: French words reduced to their light stem, without accents.
french = analyzer(
    "cercle_french", tokenizer="standard", filter=[french_elision, "lowercase", "asciifolding", french_stemmer]
)
# Words as they are, folded: the query stems are matched as prefixes of these, as in SQLite's FTS5.
folded = analyzer("cercle_folded", tokenizer="standard", filter=[french_elision, "lowercase", "asciifolding"])
# Autocomplete: every start of a title word (2 to 20 letters) at index time; the typed words as they are.
title_edge = token_filter("title_edge_ngram", type="edge_ngram", min_gram=2, max_gram=20)
suggest = analyzer(
    "cercle_suggest", tokenizer="standard", filter=[french_elision, "lowercase", "asciifolding", title_edge]
)
EDGE_MAX = 20


def _text(**extra):
    return Text(analyzer=french, fields={"folded": Text(analyzer=folded), **extra})


class CercleDocument(Document):
    """One search document as Elasticsearch holds it (the `SearchDocument` row and its facets)."""

    key = Keyword()
    doc_id = Long()
    kind = Keyword()
    url = Keyword(index=False)
    title = _text(suggest=Text(analyzer=suggest, search_analyzer="standard"))
    teaser = _text()
    body = _text()
    section = Keyword()
    language = Keyword()
    translation_key = Keyword()
    # The languages this document's translations exist in: the language rule needs them per document.
    translations = Keyword()
    know = Keyword()
    read = Keyword()
    group_id = Integer()
    page_path = Keyword()
    collection_path = Keyword()
    date = Date(default_timezone="UTC")
    cluster = Keyword()
    topic = Keyword()
    group = Keyword()


def _source(row, translations):
    """The indexed form of a SearchDocument row (its facets prefetched)."""
    facets = {name: [] for name in FACETS}
    for facet in row.facets.all():
        if facet.facet in facets:
            facets[facet.facet].append(facet.value)
    doc = CercleDocument(
        meta={"id": row.key},
        key=row.key,
        doc_id=row.pk,
        kind=row.kind,
        url=row.url,
        title=row.title,
        teaser=row.teaser,
        body=row.body,
        section=row.section,
        language=row.language,
        translation_key=row.translation_key,
        translations=sorted(translations.get(row.translation_key, ())) if row.translation_key else [],
        know=row.know,
        read=row.read,
        group_id=row.group_id,
        page_path=row.page_path,
        collection_path=row.collection_path,
        date=row.date,
        **facets,
    )
    return doc.to_dict(skip_empty=False)


def _translations(keys=None):
    """{translation_key: {languages}} of the rows (of these keys only, if given)."""
    rows = SearchDocument.objects.exclude(translation_key="")
    if keys is not None:
        rows = rows.filter(translation_key__in=keys)
    found = {}
    for key, language in rows.values_list("translation_key", "language").distinct():
        found.setdefault(key, set()).add(language)
    return found


# The access policy, as a few clauses.


def allowed(terms, field):
    """A filter keeping the documents whose audience `field` ("know" or "read") the viewer satisfies,
    or None for staff: terms on the audiences, one clause for the groups, one prefix per edited path."""
    if terms["all"]:
        return None
    should = [Q("terms", **{field: terms["audiences"]})]
    if terms["groups"]:
        should.append(Q("bool", filter=[Q("term", **{field: "group"}), Q("terms", group_id=terms["groups"])]))
    should += [Q("prefix", page_path=path) for path in terms["page_paths"]]
    should += [Q("prefix", collection_path=path) for path in terms["collection_paths"]]
    return Q("bool", should=should, minimum_should_match=1)


def may_read(terms, source):
    """Whether the viewer may read a hit (the same test as `allowed(terms, "read")`, on one document)."""
    if terms["all"]:
        return True
    if source.get("read") in terms["audiences"]:
        return True
    if source.get("read") == "group" and source.get("group_id") in terms["groups"]:
        return True
    if any((source.get("page_path") or "").startswith(p) for p in terms["page_paths"]):
        return True
    return any((source.get("collection_path") or "").startswith(p) for p in terms["collection_paths"])


# The query words.


ELIDED = frozenset({"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"})


def phrase_text(term):
    return " ".join(word for word in term.text.split() if word not in ELIDED) or term.text


def term_query(term, fields):
    """One parsed term on some fields: its stems as prefixes of folded words (SQLite's rule), or the
    French analyzer's match of the typed words (for the ranking). Never a query syntax."""
    should = []
    for field in fields:
        boost = WEIGHTS[field]
        if term.is_phrase:
            # The index drops elided articles ("d'" of "d'entreprise"): so must the phrase, or its words
            # would never stand next to each other.
            phrase = phrase_text(term)
            should.append(Q("match_phrase", **{f"{field}.folded": {"query": phrase, "boost": boost}}))
            should.append(Q("match_phrase", **{field: {"query": phrase, "boost": boost}}))
        else:
            stem = term.stems[0]
            if stem:
                should.append(Q("prefix", **{f"{field}.folded": {"value": stem, "boost": boost}}))
            should.append(Q("match", **{field: {"query": term.text, "boost": boost}}))
    return Q("bool", should=should, minimum_should_match=1)


def words_query(parsed, fields):
    """Every term of the query, each on any of the fields."""
    return Q("bool", must=[term_query(term, fields) for term in parsed.terms])


def highlight_query(parsed, field):
    """What to mark in a field's folded words: the stems as prefixes, the phrases as phrases."""
    should = []
    for term in parsed.terms:
        if term.is_phrase:
            should.append(Q("match_phrase", **{f"{field}.folded": phrase_text(term)}))
        elif term.stems[0]:
            should.append(Q("prefix", **{f"{field}.folded": term.stems[0]}))
    return Q("bool", should=should, minimum_should_match=1)


def filters(request):
    """The person's filters, the kinds asked for and the language rule, as filter clauses."""
    clauses, excluded = [], []
    chosen = request.filters or {}
    if request.kinds:
        clauses.append(Q("terms", kind=list(request.kinds)))
    if request.exclude_kinds:
        excluded.append(Q("terms", kind=list(request.exclude_kinds)))
    for name in ("kind", "section", *FACETS):
        if chosen.get(name):
            clauses.append(Q("term", **{name: str(chosen[name])}))
    if chosen.get("period") in PERIODS:
        since = timezone.now() - datetime.timedelta(days=PERIODS[chosen["period"]])
        clauses.append(Q("range", date={"gte": since.isoformat()}))
    if request.language:
        # In the interface language, without one, or in another when no translation in it exists.
        clauses.append(
            Q(
                "bool",
                should=[
                    Q("terms", language=["", request.language]),
                    Q("bool", must_not=[Q("term", translations=request.language)]),
                ],
                minimum_should_match=1,
            )
        )
    return clauses, excluded


class ElasticsearchEngine(Engine):
    name = "elasticsearch"

    def __init__(self, url, alias=None, timeout=5):
        self.url = url
        self._alias = alias
        self.client = Elasticsearch(url, request_timeout=timeout, max_retries=1, retry_on_timeout=False)

    @property
    def alias(self):
        # Read each time: tests give each run its own alias while the engine itself is cached.
        return self._alias or getattr(settings, "ELASTICSEARCH_SEARCH_INDEX", "") or DEFAULT_ALIAS

    # Searching.

    def _query(self, request, terms):
        fields_known = ("title", "teaser")
        read_filter = allowed(terms, "read")
        read_branch = Q(
            "bool",
            filter=[read_filter] if read_filter is not None else [],
            must=[words_query(request.query, ("title", "teaser", "body"))],
        )
        know_filter = allowed(terms, "know")
        clauses, excluded = filters(request)
        return Q(
            "bool",
            filter=([know_filter] if know_filter is not None else []) + clauses,
            must_not=excluded,
            should=[words_query(request.query, fields_known), read_branch],
            minimum_should_match=1,
        )

    def search(self, request):
        if not request.query:
            return Results(hits=[], total=0, facets={}, engine=self.name)
        terms = policy.terms(request.viewer)
        search = Search(using=self.client, index=self.alias).query(self._query(request, terms))
        if request.sort == "date":
            search = search.sort({"date": {"order": "desc", "missing": "_last"}}, "_score")
        else:
            search = search.sort("_score", {"date": {"order": "desc", "missing": "_last"}})
        search = search.extra(from_=request.offset, size=request.per_page, track_total_hits=True)
        search = search.source(["doc_id", "read", "group_id", "page_path", "collection_path"])
        # Marks on folded words of the body and the teaser; which one a hit shows is decided below.
        search = search.highlight_options(
            pre_tags=[MARK_OPEN], post_tags=[MARK_CLOSE], fragment_size=SNIPPET_SIZE, number_of_fragments=1
        )
        for field in ("body", "teaser"):
            search = search.highlight(
                f"{field}.folded", highlight_query=highlight_query(request.query, field).to_dict()
            )
        if request.with_facets:
            search = self._aggregations(search)
        response = search.execute()
        total = response.hits.total.value
        rows = [(hit.meta, hit.to_dict()) for hit in response.hits]
        documents = SearchDocument.objects.in_bulk([source["doc_id"] for _meta, source in rows])
        hits = []
        for meta, source in rows:
            document = documents.get(source["doc_id"])
            if document is None:  # removed from the database, not yet from the copy
                continue
            readable = may_read(terms, source)
            hits.append(
                Hit(
                    document=document,
                    snippet=self._snippet(meta, document, readable, request.query),
                    readable=readable,
                    score=meta.score or 0.0,
                )
            )
        facets = self._facets(response) if request.with_facets and total else {}
        return Results(hits=hits, total=total, facets=facets, engine=self.name)

    @staticmethod
    def _snippet(meta, document, readable, parsed):
        """The body's marked fragment for a reader; the teaser's for everyone else (never the body)."""
        marked = getattr(meta, "highlight", None)
        fragments = marked.to_dict() if marked is not None else {}
        if readable and fragments.get("body.folded"):
            return highlight(fragments["body.folded"][0])
        if fragments.get("teaser.folded"):
            return highlight(fragments["teaser.folded"][0])
        return highlight(python_snippet(document.teaser, parsed.words))

    @staticmethod
    def _aggregations(search):
        search.aggs.bucket("kind", "terms", field="kind", size=100)
        search.aggs.bucket("section", "terms", field="section", size=100)
        for name in FACETS:
            search.aggs.bucket(name, "terms", field=name, size=1000)
        now = timezone.now()
        for name, days in PERIODS.items():
            since = (now - datetime.timedelta(days=days)).isoformat()
            search.aggs.bucket(f"period_{name}", "filter", filter=Q("range", date={"gte": since}))
        return search

    @staticmethod
    def _facets(response):
        """The aggregations as the SQL engines' facet counts: [(value, label, count)], same order."""
        aggregations = response.aggregations
        facets = {}
        for name, label_of in (("kind", registry.kind_label), ("section", registry.section_label)):
            buckets = [(b.key, label_of(b.key), b.doc_count) for b in aggregations[name].buckets]
            facets[name] = sorted(buckets, key=lambda item: (-item[2], str(item[1])))
        counted = {name: {b.key: b.doc_count for b in aggregations[name].buckets} for name in FACETS}
        labels = {}
        for name in FACETS:
            if counted[name]:
                rows = SearchFacet.objects.filter(facet=name, value__in=list(counted[name]))
                labels[name] = dict(rows.values_list("value", "label").order_by("value", "label"))
        for name in FACETS:
            items = [(value, labels[name].get(value, value), n) for value, n in counted[name].items()]
            facets[name] = sorted(items, key=lambda item: (-item[2], item[1]))
        facets["period"] = [
            (name, name, aggregations[f"period_{name}"].doc_count)
            for name in PERIODS
            if aggregations[f"period_{name}"].doc_count
        ]
        return facets

    def autocomplete(self, text, viewer, limit=8, language=""):
        """Titles the viewer may know of whose words start with the typed ones (the edge n-grams)."""
        from ..query import parse
        from .base import SearchRequest

        parsed = parse(text)
        words = [w[:EDGE_MAX] for term in parsed.terms for w in term.text.split() if len(w) >= 2]
        if not words:
            return []
        request = SearchRequest(
            query=parsed, viewer=viewer, language=language, with_facets=False,
            exclude_kinds=() if viewer.is_member else ("person",),
        )
        know_filter = allowed(policy.terms(viewer), "know")
        clauses, excluded = filters(request)
        query = Q(
            "bool",
            filter=([know_filter] if know_filter is not None else []) + clauses,
            must_not=excluded,
            must=[Q("match", **{"title.suggest": {"query": " ".join(words), "operator": "and"}})],
        )
        search = Search(using=self.client, index=self.alias).query(query).source(["title", "url", "kind"])
        response = search.extra(size=limit).execute()
        return [
            {"title": hit.title, "url": hit.url, "kind": str(registry.kind_label(hit.kind))}
            for hit in response.hits
        ]

    # Writing.

    def _new_index(self):
        name = f"{self.alias}-{timezone.now().strftime('%Y%m%d%H%M%S%f')}"
        index = Index(name, using=self.client)
        index.settings(number_of_shards=1)  # a club's documents fit one shard; replicas as the cluster says
        index.document(CercleDocument)
        index.create()
        return name

    def ensure_index(self):
        """The alias, made on a first write if no rebuild made it yet."""
        if not self.client.indices.exists_alias(name=self.alias):
            name = self._new_index()
            self.client.indices.put_alias(index=name, name=self.alias)

    def _copies(self):
        """Every index of this alias: the one behind it, and one a rebuild is filling (written too, so
        that a change made during a rebuild is not lost at the swap)."""
        found = self.client.options(ignore_status=404).indices.get(index=f"{self.alias}-2*", expand_wildcards="open")
        names = list(found) if found.meta.status == 200 else []
        return names or [self.alias]

    def _actions(self, rows, index, translations):
        for row in rows:
            source = _source(row, translations)
            yield {"_op_type": "index", "_index": index, "_id": row.key, "_source": source}

    def index(self, documents, refresh=False):
        """Copy these SearchDocument rows (and their translations, whose language list may change)."""
        documents = list(documents)
        keys = {d.translation_key for d in documents if d.translation_key}
        translations = _translations(keys)
        siblings = SearchDocument.objects.filter(translation_key__in=keys).exclude(pk__in=[d.pk for d in documents])
        rows = documents + list(siblings)
        self.ensure_index()
        rows = _with_facets(rows)
        for index in self._copies():
            helpers.bulk(self.client, self._actions(rows, index, translations), chunk_size=CHUNK, refresh=refresh)

    def remove(self, keys, refresh=False):
        """Remove documents by key; their translations still in the database learn they are gone."""
        keys = [k for k in keys if k]
        if not keys:
            return
        try:
            found = self.client.mget(index=self.alias, ids=keys, source=["translation_key"])
        except NotFoundError:
            return
        translation_keys = {
            d["_source"].get("translation_key") for d in found["docs"] if d.get("found") and d.get("_source")
        }
        for index in self._copies():
            helpers.bulk(
                self.client,
                ({"_op_type": "delete", "_index": index, "_id": key} for key in keys),
                raise_on_error=False,
                refresh=refresh,
            )
        translation_keys.discard("")
        translation_keys.discard(None)
        if translation_keys:
            siblings = SearchDocument.objects.filter(translation_key__in=translation_keys).exclude(key__in=keys)
            self.index(siblings, refresh=refresh)

    def rebuild(self, progress=None):
        """Copy every row into a new index, then swap the alias to it in one step and drop the old one:
        searches answer from the old copy until the swap, from the new one after it."""
        name = self._new_index()
        translations = _translations()
        rows = SearchDocument.objects.order_by("pk").prefetch_related("facets")

        def counted(rows):
            for row in rows.iterator(chunk_size=CHUNK):
                yield row
                if progress:
                    progress(row.kind)

        helpers.bulk(self.client, self._actions(counted(rows), name, translations), chunk_size=CHUNK)
        self.client.indices.refresh(index=name)
        try:
            old = list(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            old = []
        actions = [{"remove": {"index": index, "alias": self.alias}} for index in old]
        actions.append({"add": {"index": name, "alias": self.alias}})
        self.client.indices.update_aliases(actions=actions)
        # The old copies go, with any a write may have recreated while it was being deleted.
        for index in (set(old) | set(self._copies())) - {name}:
            self.client.options(ignore_status=404).indices.delete(index=index)
        return name

    def refresh(self):
        self.client.indices.refresh(index=self.alias)

    def drop(self):
        """Delete the alias and every index of it (tests)."""
        for index in self._copies():
            if index != self.alias:
                self.client.options(ignore_status=404).indices.delete(index=index)


def _with_facets(rows):
    """Rows with their facets loaded in one query."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(rows, "facets")
    return rows
