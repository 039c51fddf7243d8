"""The technology watch's sources: their feeds are polled into the curation inbox, which editors curate.

Polling (`manage.py poll_sources`, the `poll_sources_task` task, an editor's "Poll now") fetches each feed
itself, with urllib and a timeout, a size cap and only http(s) addresses: an editor types the address, and
must not be able to make the server read its own files. The bytes are then given to feedparser as a stream,
never as a string, which feedparser would take for a file name or an address and open by itself.

A source that fails is marked failing with a message for the editors and never stops the others.
"""

import dataclasses
import datetime
import html
import http.client
import io
import logging
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.sax

import feedparser
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.log_actions import log

from .models import ArticleAudience, InboxItem, TechWatchArticlePage, TechWatchIndexPage, WatchSource

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10  # seconds to wait for a server at each step (connecting, each read)
DOWNLOAD_TIME_FACTOR = 3  # the whole download may take at most this many timeouts
MAX_FEED_BYTES = 5 * 1024 * 1024
ALLOWED_SCHEMES = ("http", "https")
USER_AGENT = "CercleVeille/1.0 (technology watch of a members' club; feedparser)"
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"

TITLE_LENGTH = 300  # InboxItem.title
EXCERPT_LENGTH = 1000
PAGE_TITLE_LENGTH = 255  # Page.title
SUMMARY_LENGTH = 600  # TechWatchArticlePage.summary
URL_LENGTH = 500  # InboxItem.url, TechWatchArticlePage.source_url
ERROR_LENGTH = 2000

_validate_url = URLValidator(schemes=list(ALLOWED_SCHEMES))


class FeedError(Exception):
    """A source could not be read; the message is written for the editors."""


class CurationError(Exception):
    """An inbox action that cannot be done; the message is written for the editors."""


# ---------------------------------------------------------------------------------------------
# Fetching
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Fetched:
    """What a server answered: 200 with the feed's bytes, or 304 (nothing changed since the last poll)."""

    status: int
    url: str
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""


def check_scheme(url):
    """Only web addresses are polled: file://, ftp:// and the like are refused, whoever typed them."""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise FeedError(_("Only http and https addresses can be polled, not “%(scheme)s”.") % {"scheme": scheme or "?"})


def site_address(address):
    """The address to fetch: a path on the club's own site ("/static/…", as the demo's sources are) is
    resolved against BASE_URL, so that it follows the site wherever it is served."""
    if address.startswith("/") and not address.startswith("//"):
        return urllib.parse.urljoin(settings.WAGTAILADMIN_BASE_URL, address)
    return address


def check_address(address):
    """What an editor may enter as a source: an http(s) address, or a path on the club's own site."""
    url = site_address(address)
    check_scheme(url)
    try:
        _validate_url(url)
    except ValidationError:
        raise FeedError(_("This is not a valid web address.")) from None


def check_destination(url):
    """A web address on the public internet. The club's own network (loopback, private and link-local
    addresses) is refused unless CERCLE_WATCH_PRIVATE_SOURCES is on (development and the demo, whose feeds
    the development server serves): an editor's source must not make the server read its neighbours."""
    import ipaddress

    check_scheme(url)
    if settings.CERCLE_WATCH_PRIVATE_SOURCES:
        return
    parts = urllib.parse.urlsplit(url)
    try:
        found = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
        addresses = {info[4][0] for info in found}
    except (socket.gaierror, UnicodeError, ValueError) as error:
        raise FeedError(_("The server's name could not be found: %(error)s") % {"error": error}) from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if not ip.is_global:
            raise FeedError(_("This address leads into a private network; only public servers are polled."))


class _WebOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects, but only to another public web address (urllib would also follow one to ftp://)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_destination(urllib.parse.urljoin(req.full_url, newurl))
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener():
    """urllib's opener without its file, ftp and data handlers: an unknown scheme fails at once."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        _WebOnlyRedirects(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _no_answer(timeout):
    return FeedError(_("The server did not answer within %(seconds)s seconds.") % {"seconds": f"{timeout:g}"})


def _network_error(reason, timeout):
    """A readable message for why a connection failed."""
    if isinstance(reason, TimeoutError):
        return _no_answer(timeout)
    if isinstance(reason, ConnectionRefusedError):
        return FeedError(_("The server refused the connection."))
    if isinstance(reason, socket.gaierror):
        return FeedError(_("The server's name could not be found."))
    if isinstance(reason, ssl.SSLError):
        return FeedError(_("The secure connection failed: %(error)s") % {"error": reason})
    return FeedError(_("The feed could not be fetched: %(error)s") % {"error": reason})


def fetch(url, *, etag="", last_modified="", timeout=DEFAULT_TIMEOUT, max_bytes=MAX_FEED_BYTES):
    """GET a feed with a conditional request; raises FeedError with a message for the editors."""
    check_destination(url)
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)
    deadline = time.monotonic() + timeout * DOWNLOAD_TIME_FACTOR
    try:
        response = _opener().open(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        error.close()
        answer = error.headers or {}
        if error.code == 304:
            return Fetched(
                status=304, url=url, etag=answer.get("ETag", ""), last_modified=answer.get("Last-Modified", "")
            )
        raise FeedError(
            _("The server answered with an error: HTTP %(code)s %(reason)s.")
            % {"code": error.code, "reason": error.reason or ""}
        ) from None
    except urllib.error.URLError as error:
        raise _network_error(error.reason, timeout) from None
    except TimeoutError:
        raise _no_answer(timeout) from None
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise _network_error(error, timeout) from None

    with response:
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise _too_large(max_bytes)
        chunks, size = [], 0
        try:
            while chunk := response.read(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise _too_large(max_bytes)
                if time.monotonic() > deadline:
                    raise FeedError(
                        _("The feed took more than %(seconds)s seconds to download.")
                        % {"seconds": f"{timeout * DOWNLOAD_TIME_FACTOR:g}"}
                    )
                chunks.append(chunk)
        except TimeoutError:
            raise _no_answer(timeout) from None
        except (OSError, http.client.HTTPException) as error:
            raise _network_error(error, timeout) from None
        return Fetched(
            status=response.status,
            url=response.url or url,
            body=b"".join(chunks),
            etag=response.headers.get("ETag", ""),
            last_modified=response.headers.get("Last-Modified", ""),
            content_type=response.headers.get("Content-Type", ""),
        )


def _too_large(max_bytes):
    return FeedError(
        _("The feed is larger than %(size)s MB: it was not read.") % {"size": f"{max_bytes / 1024 / 1024:g}"}
    )


# ---------------------------------------------------------------------------------------------
# Reading a feed
# ---------------------------------------------------------------------------------------------


def parse_feed(fetched):
    """feedparser's reading of the bytes; a document that is no feed at all is a FeedError."""
    # A server that does not say what it sends is taken to send XML (feedparser would complain).
    response_headers = {"content-location": fetched.url, "content-type": fetched.content_type or "application/xml"}
    # A stream, never bytes or str: feedparser would try those as a file name or an address first.
    parsed = feedparser.parse(io.BytesIO(fetched.body), response_headers=response_headers)
    if parsed.entries:
        return parsed  # a feed with a flaw (a wrong encoding, a stray character) is still read
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(problem, xml.sax.SAXParseException):
        raise FeedError(
            _("The feed is not well-formed XML (line %(line)s, column %(column)s: %(error)s).")
            % {"line": problem.getLineNumber(), "column": problem.getColumnNumber(), "error": problem.getMessage()}
        )
    if problem is not None and not isinstance(problem, feedparser.ThingsNobodyCaresAboutButMe):
        raise FeedError(_("The feed cannot be read: %(error)s") % {"error": problem})
    if not parsed.get("version"):
        raise FeedError(_("This address does not give an RSS or Atom feed."))
    return parsed  # a feed with nothing in it for now


def plain_text(value):
    """Text without tags or entities, its whitespace collapsed."""
    return " ".join(html.unescape(strip_tags(value or "")).split())


def _aware(struct):
    """feedparser's dates are UTC time tuples."""
    if not struct:
        return None
    try:
        return datetime.datetime(*struct[:6], tzinfo=datetime.UTC)
    except (TypeError, ValueError):
        return None


def _web_url(url):
    if not url or len(url) > URL_LENGTH:
        return None
    try:
        _validate_url(url)
    except ValidationError:
        return None
    return url


def entry_fields(entry, base_url=""):
    """An InboxItem's fields for a feed entry, or None for an entry without a usable link."""
    link = (entry.get("link") or "").strip()
    url = _web_url(urllib.parse.urljoin(base_url, link)) if link else None
    if url is None:
        return None
    summary = entry.get("summary") or ""
    if not summary and entry.get("content"):
        summary = entry["content"][0].get("value", "")
    return {
        "url": url,
        "title": Truncator(plain_text(entry.get("title")) or url).chars(TITLE_LENGTH),
        "excerpt": Truncator(plain_text(summary)).chars(EXCERPT_LENGTH),
        "published_at": _aware(entry.get("published_parsed") or entry.get("updated_parsed")),
    }


def file_entries(source, entries, base_url=""):
    """File the entries not seen before into the inbox; returns how many were filed.

    Seen before: already in the inbox (whatever its state), or already the source of an article.
    """
    candidates = {}
    for entry in entries:
        fields = entry_fields(entry, base_url)
        if fields is not None and fields["url"] not in candidates:
            candidates[fields["url"]] = fields
    if not candidates:
        return 0
    urls = list(candidates)
    known = set(InboxItem.objects.filter(url__in=urls).values_list("url", flat=True))
    known |= set(TechWatchArticlePage.objects.filter(source_url__in=urls).values_list("source_url", flat=True))
    filed = 0
    # Feeds list their newest entry first; filing it last puts it on top of the inbox.
    for url in reversed(urls):
        if url in known:
            continue
        fields = candidates[url]
        _item, created = InboxItem.objects.get_or_create(
            url=url, defaults={key: value for key, value in fields.items() if key != "url"} | {"source": source}
        )
        filed += created
    return filed


# ---------------------------------------------------------------------------------------------
# Polling
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class PollResult:
    source: WatchSource
    new_items: int = 0
    not_modified: bool = False
    error: str = ""

    @property
    def ok(self):
        return not self.error


def poll_source(source, timeout=DEFAULT_TIMEOUT):
    """Fetch one source and file its new items; the source records how it went. Never raises."""
    now = timezone.now()
    result = PollResult(source)
    fetched = None
    # The message is kept on the source and read by every editor: in the club's language.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            fetched = fetch(
                site_address(source.feed_url), etag=source.etag, last_modified=source.last_modified, timeout=timeout
            )
            if fetched.status == 304:
                result.not_modified = True
            else:
                parsed = parse_feed(fetched)
                with transaction.atomic():
                    result.new_items = file_entries(source, parsed.entries, fetched.url)
        except FeedError as error:
            result.error = str(error)
        except Exception as error:  # a bug or a database hiccup on one source must not stop the others
            logger.exception("Polling the watch source %s (%s) failed", source.pk, source.feed_url)
            result.error = _("Unexpected error: %(error)s") % {"error": error}

    source.last_polled_at = now
    fields = ["last_polled_at", "status", "last_error", "failures"]
    if result.error:
        source.status = WatchSource.Status.FAILING
        source.last_error = Truncator(result.error).chars(ERROR_LENGTH)
        source.failures += 1
    else:
        source.status = WatchSource.Status.OK
        source.last_error = ""
        source.failures = 0
        source.last_success_at = now
        fields.append("last_success_at")
        # Validators for the next conditional GET: a 200 brings its own (or none); a 304 may renew them.
        if fetched.status != 304 or fetched.etag:
            source.etag = fetched.etag if len(fetched.etag) <= 300 else ""
            fields.append("etag")
        if fetched.status != 304 or fetched.last_modified:
            source.last_modified = fetched.last_modified if len(fetched.last_modified) <= 100 else ""
            fields.append("last_modified")
    source.save(update_fields=fields)
    return result


def poll_sources(sources=None, timeout=DEFAULT_TIMEOUT):
    """Poll the given sources (by default every active one), one after the other; returns their results."""
    if sources is None:
        sources = WatchSource.objects.filter(active=True)
    return [poll_source(source, timeout=timeout) for source in sources]


@task()
def poll_sources_task(source_ids=None, timeout=DEFAULT_TIMEOUT):
    """The scheduled poll (e.g. every hour): every active source, or the ones given."""
    sources = (
        WatchSource.objects.filter(active=True) if source_ids is None else WatchSource.objects.filter(pk__in=source_ids)
    )
    results = poll_sources(sources, timeout=timeout)
    return {
        "polled": len(results),
        "new_items": sum(result.new_items for result in results),
        "failing": [result.source.pk for result in results if not result.ok],
    }


# ---------------------------------------------------------------------------------------------
# Curating the inbox
# ---------------------------------------------------------------------------------------------


def watch_index():
    return TechWatchIndexPage.objects.live().first()


def _free_slug(parent, title):
    base = slugify(title)[:80].strip("-") or "article"  # ASCII, like every address of the site
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def draft_from_item(item, user):
    """Make an inbox item a draft article of the watch (not published); returns the article.

    An item already made into a draft gives its article back, and no second one is made.
    """
    with transaction.atomic():
        item = InboxItem.objects.select_for_update().select_related("source").get(pk=item.pk)
        if item.state == InboxItem.State.DRAFTED and item.article_id is not None:
            return item.article
        index = watch_index()
        if index is None:
            raise CurationError(_("There is no published technology watch to put the draft in."))
        published = timezone.localdate(item.published_at) if item.published_at else timezone.localdate()
        title = Truncator(item.title).chars(PAGE_TITLE_LENGTH)
        page = TechWatchArticlePage(
            title=title,
            slug=_free_slug(index, title),
            summary=Truncator(item.excerpt or item.title).chars(SUMMARY_LENGTH),
            source_name=item.source.name,
            source_url=item.url,
            source_date=published,
            audience=ArticleAudience.PREMIUM,
            live=False,
            has_unpublished_changes=True,
            owner=user,
        )
        if item.source.topic_list:
            page.topics.add(*item.source.topic_list)
        index.add_child(instance=page)
        page.save_revision(user=user)
        item.state = InboxItem.State.DRAFTED
        item.article = page
        item.handled_by = user
        item.save(update_fields=["state", "article", "handled_by"])
        log(page, "wagtail.create", user=user)
        log(item, "cercle.inbox.draft", user=user, data={"page_id": page.pk, "title": page.title})
    return page


def dismiss_item(item, user):
    """Set an item aside: it stays in the inbox (so that it is not filed again), marked dismissed."""
    with transaction.atomic():
        item = InboxItem.objects.select_for_update().get(pk=item.pk)
        if item.state == InboxItem.State.DRAFTED and item.article_id is not None:
            raise CurationError(
                _("This item has already been made into a draft: delete the draft if it is not wanted.")
            )
        if item.state != InboxItem.State.DISMISSED:
            item.state = InboxItem.State.DISMISSED
            item.handled_by = user
            item.save(update_fields=["state", "handled_by"])
            log(item, "cercle.inbox.dismiss", user=user)
    return item


def restore_item(item, user):
    """Bring a dismissed item back to the items to review."""
    with transaction.atomic():
        item = InboxItem.objects.select_for_update().get(pk=item.pk)
        if item.state == InboxItem.State.DISMISSED:
            item.state = InboxItem.State.NEW
            item.handled_by = user
            item.save(update_fields=["state", "handled_by"])
            log(item, "cercle.inbox.restore", user=user)
    return item
