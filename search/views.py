"""The results page (/recherche/?q=) and the header box's suggestions (/recherche/suggestions/?q=).

Both ask `search.api` with the viewer of the request: what a person may find is decided there (and in
members/access.py), never here. This module turns the answer into links that keep the address's other
parameters, records the query for the editors' report, and adds the promoted results an editor chose
for the query, each only for viewers who may know the promoted page.
"""

import difflib
import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Site
from wagtail.search.utils import normalise_query_string

from members.access import Viewer, can_know, filter_pages
from members.privacy import keep_out_of_caches

from . import api, policy, registry
from .forms import FILTERS, PERIOD_LABELS, SORT_LABELS, SearchForm
from .models import SearchDocument, UnansweredQuery
from .query import fold

log = logging.getLogger(__name__)

FACET_TITLES = {
    "kind": _("Type"),
    "section": _("Section"),
    "cluster": _("Cluster"),
    "topic": _("Topic"),
    "group": _("Working group"),
    "period": _("Date"),
}
SUGGESTIONS_SHOWN = 8
PAGE_LINKS_AROUND = 2


def _url(params, **changes):
    """The results page's address with `params` changed: a value of None removes the parameter."""
    merged = {key: value for key, value in params.items() if value not in ("", None)}
    for key, value in changes.items():
        if value in ("", None):
            merged.pop(key, None)
        else:
            merged[key] = value
    return "?" + urlencode(merged) if merged else "?"


def _facet_groups(params, facets, filters):
    """Each facet with its options as links: choosing one keeps the other filters and goes to page 1;
    the chosen one links back to the search without it."""
    groups = []
    for name in FILTERS:
        options = []
        active = filters.get(name, "")
        for value, label, count in facets.get(name, []):
            if name == "period":
                label = PERIOD_LABELS.get(value, value)
            options.append(
                {
                    "label": label,
                    "count": count,
                    "active": value == active,
                    "url": _url(params, **{name: None if value == active else value, "page": None}),
                }
            )
        if active and not any(option["active"] for option in options):
            # Chosen but matching nothing now: still offered, so that it can be taken off.
            label = PERIOD_LABELS.get(active, active) if name == "period" else _label_of(name, active)
            options.insert(
                0, {"label": label, "count": 0, "active": True, "url": _url(params, **{name: None, "page": None})}
            )
        if options:
            groups.append({"name": name, "title": FACET_TITLES[name], "options": options, "active": bool(active)})
    return groups


def _label_of(name, value):
    if name == "kind":
        return registry.kind_label(value)
    if name == "section":
        return registry.section_label(value)
    return value


def _page_links(params, page, pages):
    """Numbered links around the current page, with the first and the last, and gaps as None."""
    if pages <= 1:
        return None
    shown = sorted({1, pages, *range(max(1, page - PAGE_LINKS_AROUND), min(pages, page + PAGE_LINKS_AROUND) + 1)})
    links, previous = [], 0
    for number in shown:
        if number - previous > 1:
            links.append(None)
        links.append(
            {"number": number, "url": _url(params, page=None if number == 1 else number), "current": number == page}
        )
        previous = number
    return {
        "links": links,
        "previous": _url(params, page=None if page == 2 else page - 1) if page > 1 else "",
        "next": _url(params, page=page + 1) if page < pages else "",
        "number": page,
        "pages": pages,
    }


def _record_query(parsed, answer, filters, asked_page):
    """Wagtail's query log counts the searches that found something, UnansweredQuery the others.

    Only a fresh search counts: its first page, without filters (choosing a facet or a page is the same
    search again, and a filter that leaves nothing says nothing about the query)."""
    if not parsed or filters or asked_page != 1:
        return
    text = normalise_query_string(parsed.raw)
    if not text:
        return
    try:
        with transaction.atomic():
            if answer.results.total or answer.people:
                Query.get(text).add_hit()
            else:
                unanswered, _created = UnansweredQuery.objects.get_or_create(query_string=text)
                UnansweredQuery.objects.filter(pk=unanswered.pk).update(hits=F("hits") + 1)
    except IntegrityError:
        # Two people typed the same new query at the same instant: one count is lost, not the page.
        log.info("search: the query log missed one count of %r", text)


def _promotions(request, viewer, parsed):
    """The results an editor promoted for this query: external links, and pages this viewer may know of."""
    if not parsed:
        return []
    promoted = SearchPromotion.objects.filter(query__query_string=normalise_query_string(parsed.raw)).select_related(
        "page"
    )
    shown = []
    for promotion in promoted:
        if promotion.page_id:
            page = promotion.page
            if not page.live or not can_know(viewer, page):
                continue
            localized = page.localized
            if localized.pk != page.pk and not (localized.live and can_know(viewer, localized)):
                localized = page
            page = localized
            shown.append({"title": page.title, "url": page.get_url(request), "description": promotion.description})
        elif promotion.external_link_url:
            shown.append(
                {
                    "title": promotion.external_link_text or promotion.external_link_url,
                    "url": promotion.external_link_url,
                    "description": promotion.description,
                    "external": True,
                }
            )
    return shown


def _sections(request, viewer):
    """The home page's sections this viewer may know of, to browse when search finds nothing."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    pages = filter_pages(viewer, site.root_page.get_children().live().order_by("path"))
    sections = []
    for page in pages[:12]:
        page = page.localized
        url = page.get_url(request)
        if url:
            sections.append({"title": page.title, "url": url})
    return sections


def _did_you_mean(parsed, viewer):
    """The query with each unknown word replaced by the closest word of a title this viewer may know of."""
    if not parsed:
        return ""
    titles = (
        SearchDocument.objects.filter(policy.know_q(viewer))
        .exclude(kind=api.PEOPLE_KIND)
        .order_by("-date")
        .values_list("title", flat=True)[:1000]
    )
    vocabulary = {}
    for title in titles:
        for word in title.split():
            word = word.strip(".,;:!?«»()[]\"'’")
            if len(word) >= 4:
                vocabulary.setdefault(fold(word), word.lower())
    changed, words = False, []
    for term in parsed.terms:
        if term.is_phrase or term.text in vocabulary:
            words.append(term.text)
            continue
        close = difflib.get_close_matches(term.text, vocabulary.keys(), n=1, cutoff=0.75)
        if close:
            words.append(vocabulary[close[0]])
            changed = True
        else:
            words.append(term.text)
    return " ".join(words) if changed else ""


def _private(request, viewer):
    """What a member finds (people, private groups) is theirs alone: no cache keeps it (members/privacy.py)."""
    if viewer.is_authenticated:
        keep_out_of_caches(request)


def search(request):
    viewer = Viewer.for_request(request)
    _private(request, viewer)
    form = SearchForm(request.GET)
    text, filters, sort, page = form.search_parameters()
    language = getattr(request, "LANGUAGE_CODE", "")
    answer = api.search(text, viewer, filters, sort, page, language=language)
    if answer.results.total and answer.page > answer.pages:
        # A page past the end (an old link, a hand-typed number) shows the last one.
        answer = api.search(text, viewer, filters, sort, answer.pages, language=language)
    parsed = answer.query
    params = {"q": parsed.raw if parsed else text.strip()[:200], **filters}
    if sort != "relevance":
        params["sort"] = sort
    if request.method == "GET":  # a HEAD (a link checker) is not a search
        _record_query(parsed, answer, filters, page)
    hits = [
        {
            "hit": hit,
            "kind": registry.kind_label(hit.document.kind),
            "section": registry.section_label(hit.document.section),
        }
        for hit in answer.results.hits
    ]
    found = bool(answer.results.total or answer.people)
    context = {
        "form": form,
        "search_query": params["q"],
        "answer": answer,
        "parsed": parsed,
        "hits": hits,
        "total": answer.results.total,
        "found": found,
        "filters": filters,
        "facet_groups": _facet_groups(params, answer.results.facets, filters) if parsed else [],
        "sorts": [
            {
                "label": label,
                "url": _url(params, sort=None if key == "relevance" else key, page=None),
                "active": key == sort,
            }
            for key, label in SORT_LABELS.items()
        ],
        "pagination": _page_links(params, answer.page, answer.pages),
        "promotions": _promotions(request, viewer, parsed) if answer.page == 1 else [],
        "notices": list(answer.notices) + list(answer.results.notices),
        "clear_filters_url": _url({"q": params["q"], "sort": params.get("sort")}) if filters else "",
    }
    if not parsed or not found:
        context["sections"] = _sections(request, viewer)
    if parsed and not found:
        suggestion = _did_you_mean(parsed, viewer)
        if suggestion:
            context["did_you_mean"] = {"text": suggestion, "url": _url({"q": suggestion})}
    response = TemplateResponse(request, "search/results.html", context)
    response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, private=True)
    return response


def suggestions(request):
    """Titles (and addresses) this viewer may know of, for the header box's list of suggestions."""
    viewer = Viewer.for_request(request)
    _private(request, viewer)
    text = SearchForm(request.GET).search_parameters()[0][:200]
    found = []
    if len(text.strip()) >= 2:
        language = getattr(request, "LANGUAGE_CODE", "")
        found = api.autocomplete(text, viewer, limit=SUGGESTIONS_SHOWN, language=language)
    response = JsonResponse(
        {
            "query": text,
            "suggestions": [{"title": s["title"], "url": s["url"], "kind": str(s.get("kind", ""))} for s in found],
        }
    )
    # What a person may know differs from one to the next: never stored by a shared cache.
    patch_cache_control(response, private=True, no_cache=True)
    response["X-Robots-Tag"] = "noindex"
    return response
