"""What every engine answers, and the pieces the SQL engines share.

An engine answers `search(request)` with `Results`: the page of hits (each with a safe HTML snippet
made only of text the viewer may see), the total, and facet counts, all computed with the access
policy applied inside the engine. `autocomplete(text, viewer, limit)` suggests titles the viewer may
know of.
"""

import dataclasses
import datetime
import html
import re

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone
from django.utils.safestring import mark_safe

from .. import policy, registry
from ..models import SearchDocument, SearchFacet
from ..query import fold

PERIODS = {"week": 7, "month": 31, "year": 366}  # the date facet: published in the last …
FACETS = ("cluster", "topic", "group")
SORTS = ("relevance", "date")

# Highlight marks that cannot come from the text, turned into <mark> once the snippet is escaped.
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"


@dataclasses.dataclass
class SearchRequest:
    query: object  # a search.query.ParsedQuery
    viewer: object
    filters: dict = dataclasses.field(default_factory=dict)  # kind, section, cluster, topic, group, period
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    language: str = ""  # the interface language: its translations are preferred
    kinds: tuple = ()  # only these kinds (the people block)
    exclude_kinds: tuple = ()  # never these kinds (people have their own block)
    with_facets: bool = True

    @property
    def offset(self):
        return (max(self.page, 1) - 1) * self.per_page


@dataclasses.dataclass
class Hit:
    document: object  # a SearchDocument (or an object with the same attributes)
    snippet: str  # safe HTML
    readable: bool  # whether the viewer may read the whole thing (else: a teaser)
    score: float = 0.0


@dataclasses.dataclass
class Results:
    hits: list
    total: int
    facets: dict  # name -> [(value, label, count)]
    engine: str = ""
    notices: list = dataclasses.field(default_factory=list)


def highlight(text):
    """A snippet with the engine's marks, as safe HTML: the text escaped, the marks as <mark>."""
    escaped = html.escape(text or "")
    return mark_safe(escaped.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>"))


def python_snippet(text, words, size=30):
    """A snippet cut around the first word that starts with a query stem, marked; for engines (or
    columns) without a snippet function of their own. Plain text in, marked text out."""
    tokens = re.split(r"(\s+)", text or "")
    words = [w for w in words if w]
    found = None
    for index, token in enumerate(tokens):
        folded = fold(re.sub(r"\W", "", token))
        if folded and any(folded.startswith(w) for w in words):
            tokens[index] = _mark_token(token)
            found = index if found is None else found
    if found is None:
        start = 0
    else:
        start = max(0, found - size)
    cut = tokens[start : start + size * 2]
    return ("…" if start else "") + "".join(cut).strip() + ("…" if start + size * 2 < len(tokens) else "")


def _mark_token(token):
    match = re.match(r"^(\W*)(.*?)(\W*)$", token, re.S)
    return f"{match.group(1)}{MARK_OPEN}{match.group(2)}{MARK_CLOSE}{match.group(3)}"


def filters_q(request):
    """The person's filters (and the kinds asked for) as conditions on documents."""
    q = Q()
    filters = request.filters or {}
    if request.kinds:
        q &= Q(kind__in=request.kinds)
    if request.exclude_kinds:
        q &= ~Q(kind__in=request.exclude_kinds)
    if filters.get("kind"):
        q &= Q(kind=filters["kind"])
    if filters.get("section"):
        q &= Q(section=filters["section"])
    for facet in FACETS:
        if filters.get(facet):
            q &= Q(pk__in=SearchFacet.objects.filter(facet=facet, value=filters[facet]).values("document_id"))
    if filters.get("period") in PERIODS:
        q &= Q(date__gte=timezone.now() - datetime.timedelta(days=PERIODS[filters["period"]]))
    if request.language:
        # A page in the interface language, or in another one when it has no translation in it.
        # A correlated EXISTS, looked up by index only for documents in another language: an IN list of
        # every translated key would be built again by each query (tens of ms at 100,000 documents).
        translated = SearchDocument.objects.filter(
            language=request.language, translation_key=OuterRef("translation_key")
        ).exclude(translation_key="")
        q &= Q(language__in=["", request.language]) | ~Exists(translated)
    return q


def candidates(request, need):
    """Documents the viewer may match on `need` ("know": title and teaser; "read": the body too)."""
    policy_q = policy.know_q(request.viewer) if need == "know" else policy.read_q(request.viewer)
    return SearchDocument.objects.filter(policy_q & filters_q(request))


def facet_counts(matched):
    """Counts of kind, section, clusters, topics, groups and periods over a queryset of matched documents.

    Two queries whatever the number of matches: one grouped by kind, section and age bucket (a
    handful of rows, summed here), one over the facet rows of the matches.
    """
    grouped = (
        matched.order_by()
        .annotate(
            **{
                f"in_{name}": ExpressionWrapper(Q(date__gte=since), output_field=BooleanField())
                for name, since in period_starts().items()
            }
        )
        .values_list("kind", "section", *[f"in_{name}" for name in PERIODS])
        .annotate(n=Count("pk"))
    )
    rows = (
        SearchFacet.objects.filter(document__in=matched.order_by().values("pk"))
        .values_list("facet", "value", "label")
        .annotate(n=Count("pk"))
    )
    return assemble_facets(grouped, rows)


def period_starts():
    now = timezone.now()
    return {name: now - datetime.timedelta(days=days) for name, days in PERIODS.items()}


def assemble_facets(grouped, facet_rows):
    """The facets dict from (kind, section, in_week, in_month, in_year, count) rows and
    (facet, value, label, count) rows, however an engine counted them."""
    kinds, sections, periods = {}, {}, dict.fromkeys(PERIODS, 0)
    for kind, section, *flags, n in grouped:
        kinds[kind] = kinds.get(kind, 0) + n
        sections[section] = sections.get(section, 0) + n
        for name, flag in zip(PERIODS, flags, strict=True):
            if flag:
                periods[name] += n
    facets = {
        "kind": sorted(
            ((kind, registry.kind_label(kind), n) for kind, n in kinds.items()), key=lambda i: (-i[2], str(i[1]))
        ),
        "section": sorted(
            ((code, registry.section_label(code), n) for code, n in sections.items()), key=lambda i: (-i[2], str(i[1]))
        ),
        "period": [(name, name, periods[name]) for name in PERIODS if periods[name]],
    }
    for facet in FACETS:
        facets[facet] = []
    for facet, value, label, n in facet_rows:
        if facet in facets:
            facets[facet].append((value, label, n))
    for facet in FACETS:
        facets[facet].sort(key=lambda item: (-item[2], item[1]))
    return facets


class Engine:
    name = ""

    def search(self, request):
        raise NotImplementedError

    def autocomplete(self, text, viewer, limit=8, language=""):
        raise NotImplementedError


class DatabaseEngine(Engine):
    """The engines that search the document rows in the project's database."""

    def autocomplete(self, text, viewer, limit=8, language=""):
        from ..query import parse

        parsed = parse(text)
        if not parsed:
            return []
        request = SearchRequest(
            query=parsed, viewer=viewer, per_page=limit, language=language, with_facets=False,
            exclude_kinds=() if viewer.is_member else ("person",),
        )
        return [
            {"title": hit.document.title, "url": hit.document.url, "kind": str(registry.kind_label(hit.document.kind))}
            for hit in self.search(request, titles_only=True).hits
        ]
