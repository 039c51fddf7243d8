"""Rendered pages kept for members too: by what the viewer is entitled to, never by who they are.

A page of the site is the same for every viewer of one *kind* (`Viewer.kind`: the audiences they
satisfy, their groups, the sections they edit, and whether they are logged in, lapsed or owe the
charter a signature), but for a few personal parts. Those are taken out before a page is kept and put
back on every answer:

- the CSRF tokens of its forms (a fresh token of the requester's own);
- the member's name in the header (from the facts kept in their session);
- their private feed token, in the feed addresses the page offers them (`privacy.holds_feed_token`; the
  answer still tells browsers and proxies not to keep it).

Everything else personal keeps a page out: `personal(request)` (a registration, an interest, a private
feed address: `members.privacy.keep_out_of_caches` counts too), messages shown to the person, a cookie
set by the answer, Wagtail's user bar (people with an admin role are never served from here), previews.
Only page types that say so (`page_cache = True`, or "visitors" for pages members see something of their
own on) are kept, and only answers that the policy gave in full
or as a teaser (refusals are not kept).

A kept page is answered by `PageCacheMiddleware` before Wagtail's routing and the template engine, from
the session alone: the facts in the session give the kind without a query (members/entitlements.py), and
the session itself is read from the shared cache. Keys carry the *pages stamp*: any publication,
unpublication, move or deletion of a page, any change of an audience, the club's settings, snippets,
documents, or what lists show about people (group leads, event registrations: `renew_pages_on`) renews it,
so a change is seen at once by everyone; pages are also kept at most `CERCLE_PAGE_CACHE_SECONDS`.
"""

import hashlib
import logging
import re

from django.conf import settings
from django.core.cache import caches
from django.db.models.signals import post_delete, post_save
from django.middleware.csrf import get_token
from django.utils.html import escape

from . import entitlements

logger = logging.getLogger(__name__)

CSRF_MARK = "\x00cercle-csrf\x00"
NAME_MARK = "\x00cercle-name\x00"
FEED_MARK = "\x00cercle-feed\x00"
CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
# The header's account name (site/templates/includes/header.html).
NAME_SPAN = re.compile(r'(<span class="account__name">)([^<]*)(</span>)')
# Headers set again on every answer by the middleware above this one, or personal.
_DROPPED_HEADERS = {"set-cookie", "content-length", "x-request-id"}


def page_cache():
    return caches[settings.CERCLE_PAGE_CACHE]


def personal(request):
    """This answer shows something of the person's own: it is not kept for others of their kind."""
    request.cercle_personal = True


def offer(request, page, viewer):
    """Called when a page is served in full or as a teaser: the answer may be kept, if nothing else
    says otherwise by the time it is complete.

    A page type says `page_cache = True` when it is the same for every viewer of a kind, or "visitors"
    when members see something of their own on it (their dashboard, registrations, interests, feeds)."""
    kept_for = getattr(page.specific_class, "page_cache", False)
    if kept_for == "visitors" and viewer.is_authenticated:
        return
    if kept_for and not getattr(request, "is_preview", False):
        request.cercle_page_offered = True


def cache_kind(viewer):
    """The part of the key that says who may receive the page; None: nothing is kept for this viewer."""
    if not viewer.is_authenticated:
        return "visitor"
    if viewer.may_use_admin:
        return None  # Wagtail's user bar: per person (their permissions on this very page)
    flags = ("x" if viewer.is_expired else "") + ("c" if viewer.needs_charter else "")
    return f"m{flags}:{viewer.kind_key}"


class _FactsUser:
    """The person as their session's facts describe them, for the policy's questions on a cache hit."""

    is_authenticated = True
    is_active = True

    def __init__(self, user_id, facts):
        self.pk = self.id = user_id
        self.is_superuser = facts["superuser"]


def _key(request, kind, pages_stamp):
    path = hashlib.md5(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    language = getattr(request, "LANGUAGE_CODE", "")
    return f"cercle:page:{pages_stamp}:{request.get_host()}:{language}:{kind}:{path}"


def _kind_from_session(request):
    """(kind, facts) of the requester from their session alone; (None, None) when it cannot be told."""
    from .access import Viewer

    session = request.session
    user_id = session.get("_auth_user_id")
    if user_id is None:
        return "visitor", None
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None, None
    facts = entitlements.facts_from_session(session, user_id)
    if facts is None:
        return None, None
    viewer = Viewer(_FactsUser(user_id, facts), facts=facts)
    return cache_kind(viewer), facts


def _has_pending_messages(request):
    return bool(request.COOKIES.get("messages")) or "_messages" in request.session


def _replay(request, entry, facts):
    from django.http import HttpResponse

    content = entry["content"]
    if CSRF_MARK in content:
        content = content.replace(CSRF_MARK, get_token(request))
    if NAME_MARK in content:
        content = content.replace(NAME_MARK, escape(facts["name"] if facts else ""))
    if FEED_MARK in content:
        if not (facts and facts.get("feed_token")):
            return None  # kept with a feed address, asked by someone without one: serve it normally
        content = content.replace(FEED_MARK, facts["feed_token"])
    response = HttpResponse(content, status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    response["X-Cercle-Cache"] = "hit"
    return response


def _storable(request, response):
    if not getattr(request, "cercle_page_offered", False):
        return False
    if getattr(request, "cercle_personal", False):
        return False
    if getattr(request, "cercle_no_store", False) and getattr(request, "cercle_kept_out_for", {"secret"}) != {"feed"}:
        return False  # a secret other than the feed token, which alone is put back per person
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    allowed_cookies = {settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_NAME}
    if set(response.cookies) - allowed_cookies:
        return False
    messages = getattr(request, "_messages", None)
    return not (messages is not None and getattr(messages, "used", False))


def _store(request, response):
    from .access import Viewer

    viewer = Viewer.for_request(request)
    kind = cache_kind(viewer)
    if kind is None:
        return
    content = response.content.decode(response.charset)
    content = CSRF_INPUT.sub(lambda m: m.group(1) + CSRF_MARK + m.group(2), content)
    if viewer.is_authenticated:
        content, found = NAME_SPAN.subn(lambda m: m.group(1) + NAME_MARK + m.group(3), content)
        if found != 1:
            return  # the header is not where it is expected: keep nothing rather than a name
    token = getattr(request, "cercle_feed_token", None)
    if token:
        if not viewer.facts or viewer.facts.get("feed_token") != token:
            return  # a token made by this very request: kept once the session's facts know it
        content = content.replace(token, FEED_MARK)
    (pages_stamp,) = entitlements.read_stamps(entitlements.PAGES_STAMP)
    headers = [(k, v) for k, v in response.items() if k.lower() not in _DROPPED_HEADERS]
    entry = {"content": content, "status": response.status_code, "headers": headers}
    page_cache().set(_key(request, kind, pages_stamp), entry, settings.CERCLE_PAGE_CACHE_SECONDS)
    response["X-Cercle-Cache"] = "miss"


class PageCacheMiddleware:
    """Answers kept pages before Wagtail's routing; keeps the pages that may be kept. Placed after the
    session, locale, CSRF, authentication and messages middleware (it reads what they set up, but never
    `request.user`, which would cost a query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.CERCLE_PAGE_CACHE_SECONDS or request.method != "GET":
            return self.get_response(request)
        try:
            kind, facts = _kind_from_session(request)
            if kind is not None and not _has_pending_messages(request):
                stamps = entitlements.read_stamps(entitlements.PAGES_STAMP)
                entry = page_cache().get(_key(request, kind, stamps[0]))
                response = _replay(request, entry, facts) if entry is not None else None
                if response is not None:
                    return response
        except Exception:  # noqa: BLE001 (a cache that fails must not take the site down: serve normally)
            logger.warning("The page cache could not be read", exc_info=True)
        response = self.get_response(request)
        if _storable(request, response):
            try:
                _store(request, response)
            except Exception:  # noqa: BLE001 (a page not kept is only slower next time)
                logger.warning("The page cache could not keep a page", exc_info=True)
        return response


def renew_pages_on(model):
    """Writing a row of `model` changes what some kept page shows (a lead's name, a registration count)."""
    label = model._meta.label
    post_save.connect(_renew, sender=model, dispatch_uid=f"page_cache.{label}.save")
    post_delete.connect(_renew, sender=model, dispatch_uid=f"page_cache.{label}.delete")


def _renew(sender, raw=False, **kwargs):
    if not raw:
        entitlements.renew_pages()


def connect():
    """Called from MembersConfig.ready(): what renews every kept page."""
    from wagtail.documents import get_document_model
    from wagtail.models import Collection, Page, PageViewRestriction
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from .models import CollectionAudience, PageAudience

    page_published.connect(_renew, dispatch_uid="page_cache.published")
    page_unpublished.connect(_renew, dispatch_uid="page_cache.unpublished")
    post_page_move.connect(_renew, dispatch_uid="page_cache.moved")
    post_delete.connect(_renew, sender=Page, dispatch_uid="page_cache.deleted")
    for model in (PageAudience, CollectionAudience, PageViewRestriction, Collection, get_document_model()):
        renew_pages_on(model)
