"""Polling the watch's sources into the inbox, against a real HTTP server on 127.0.0.1.

The server serves a good RSS 2.0 feed, a good Atom feed, a malformed one, an HTTP 500, one that answers too
late, one that honours conditional GETs (and records the request headers), a too large one and a redirect
to a local file. Timeouts are 0.5 s so that the slow one costs half a second.
"""

import datetime
import io
import threading
import types
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from knowledge import sources
from knowledge.models import InboxItem, WatchSource
from members import roles
from tests.factories.knowledge import WatchSourceFactory, make_article
from tests.factories.members import make_member

pytestmark = pytest.mark.django_db

TIMEOUT = 0.5
ETAG = '"v1"'
LAST_MODIFIED = "Mon, 02 Mar 2026 08:00:00 GMT"

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
  <channel>
    <title>Analyste</title>
    <link>https://example.org/rss/</link>
    <description>Un analyste du marché.</description>
    <item>
      <title>Le cloud souverain &amp; vous</title>
      <link>https://example.org/rss/cloud</link>
      <description>&lt;p&gt;Une &lt;b&gt;analyse&lt;/b&gt; du marché &amp;amp; des offres.&lt;/p&gt;</description>
      <pubDate>Sun, 01 Mar 2026 23:30:00 GMT</pubDate>
    </item>
    <item>
      <title>Sans adresse</title>
      <description>Une entrée sans lien est ignorée.</description>
    </item>
    <item>
      <title>Zero trust</title>
      <link>https://example.org/rss/zero-trust</link>
      <description>Court.</description>
      <pubDate>Sat, 28 Feb 2026 08:00:00 +0100</pubDate>
    </item>
  </channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Éditeur</title>
  <id>urn:cercle:test:atom</id>
  <updated>2026-03-03T10:00:00Z</updated>
  <entry>
    <title type="html">&lt;em&gt;IA&lt;/em&gt; générative</title>
    <link rel="alternate" href="https://example.org/atom/ia"/>
    <id>urn:cercle:test:1</id>
    <updated>2026-03-03T10:00:00Z</updated>
    <summary type="html">&lt;p&gt;Résumé avec &lt;a href="https://example.org"&gt;un lien&lt;/a&gt;.&lt;/p&gt;</summary>
  </entry>
  <entry>
    <title>Adresse relative</title>
    <link rel="alternate" href="/atom/relative"/>
    <id>urn:cercle:test:2</id>
    <published>2026-03-02T09:00:00+01:00</published>
    <updated>2026-03-02T12:00:00+01:00</updated>
    <content type="html">&lt;p&gt;Le contenu, faute de résumé.&lt;/p&gt;</content>
  </entry>
</feed>
"""

MALFORMED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Cassé</title></chan"""

CONDITIONAL = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Conditionnel</title><link>https://example.org/</link><description>d</description>
<item><title>Seul article</title><link>https://example.org/etag/seul</link><description>Un.</description></item>
</channel></rss>
"""

LONG = (
    """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Bavard</title><link>https://example.org/</link><description>d</description>
<item><title>"""
    + "T" * 400
    + """</title><link>https://example.org/long</link><description>"""
    + "mot " * 600
    + """</description></item></channel></rss>
"""
)


@pytest.fixture
def feed_server():
    """A real HTTP server in a thread; `requests` records each request's path and headers."""
    requests = []
    release = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def answer(self, body, *, status=200, content_type="application/xml; charset=utf-8", headers=()):
            body = body.encode() if isinstance(body, str) else body
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            requests.append(types.SimpleNamespace(path=self.path, headers=self.headers))
            route = self.path.split("?")[0]
            if route == "/rss.xml":
                self.answer(RSS, content_type="application/rss+xml; charset=utf-8")
            elif route == "/atom.xml":
                self.answer(ATOM, content_type="application/atom+xml; charset=utf-8")
            elif route == "/malformed.xml":
                self.answer(MALFORMED)
            elif route == "/error.xml":
                self.answer(b"<h1>Internal Server Error</h1>", status=500, content_type="text/html")
            elif route == "/slow.xml":
                release.wait(3 * TIMEOUT * 4)  # well past the timeout; released at teardown
                self.answer(RSS)
            elif route == "/etag.xml":
                if self.headers.get("If-None-Match") == ETAG:
                    self.send_response(304)
                    self.send_header("ETag", ETAG)
                    self.end_headers()
                else:
                    self.answer(CONDITIONAL, headers=[("ETag", ETAG), ("Last-Modified", LAST_MODIFIED)])
            elif route == "/page.html":
                self.answer(
                    "<html><head><title>Accueil</title></head><body><p>Bienvenue</body></html>",
                    content_type="text/html",
                )
            elif route == "/empty.xml":  # a feed with nothing in it yet, sent without a Content-Type
                body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Vide</title></channel></rss>'
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif route == "/long.xml":
                self.answer(LONG)
            elif route == "/big.xml":
                self.answer(b"<rss>" + b"x" * 5000 + b"</rss>")
            elif route == "/to-file.xml":
                self.send_response(302)
                self.send_header("Location", "file:///etc/passwd")
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self.answer(b"not found", status=404, content_type="text/plain")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.handle_error = lambda request, client_address: None  # the slow answer's client has left
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    port = server.server_address[1]
    yield types.SimpleNamespace(url=lambda path: f"http://127.0.0.1:{port}{path}", requests=requests)
    release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def feeds(feed_server):
    """One source for each behaviour of the server."""

    def source(name, path, **fields):
        return WatchSourceFactory(name=name, feed_url=feed_server.url(path), **fields)

    return types.SimpleNamespace(
        rss=source("Analyste RSS", "/rss.xml", default_topics="Cloud, Souveraineté"),
        atom=source("Éditeur Atom", "/atom.xml"),
        malformed=source("Flux cassé", "/malformed.xml"),
        error=source("Serveur en panne", "/error.xml"),
        slow=source("Serveur lent", "/slow.xml"),
        conditional=source("Flux conditionnel", "/etag.xml"),
    )


def urls_of(source):
    return set(InboxItem.objects.filter(source=source).values_list("url", flat=True))


# --- Filing items ------------------------------------------------------------------------------------


def test_an_rss_feed_files_its_items_with_plain_text_and_utc_dates(feeds):
    result = sources.poll_source(feeds.rss, timeout=TIMEOUT)

    assert result.ok and result.new_items == 2
    assert urls_of(feeds.rss) == {"https://example.org/rss/cloud", "https://example.org/rss/zero-trust"}
    cloud = InboxItem.objects.get(url="https://example.org/rss/cloud")
    assert cloud.title == "Le cloud souverain & vous"
    assert cloud.excerpt == "Une analyse du marché & des offres."
    assert cloud.published_at == datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)
    assert cloud.state == InboxItem.State.NEW
    zero_trust = InboxItem.objects.get(url="https://example.org/rss/zero-trust")
    assert zero_trust.published_at == datetime.datetime(2026, 2, 28, 7, 0, tzinfo=datetime.UTC)
    assert not InboxItem.objects.filter(title="Sans adresse").exists()  # no link: skipped

    feeds.rss.refresh_from_db()
    assert feeds.rss.status == WatchSource.Status.OK
    assert feeds.rss.failures == 0 and feeds.rss.last_error == ""
    assert feeds.rss.last_polled_at is not None and feeds.rss.last_success_at == feeds.rss.last_polled_at


def test_the_newest_entry_of_a_feed_comes_first_in_the_inbox(feeds):
    sources.poll_source(feeds.rss, timeout=TIMEOUT)
    assert InboxItem.objects.first().url == "https://example.org/rss/cloud"


def test_an_atom_feed_files_its_entries_with_relative_links_resolved(feeds, feed_server):
    result = sources.poll_source(feeds.atom, timeout=TIMEOUT)

    assert result.ok and result.new_items == 2
    ia = InboxItem.objects.get(url="https://example.org/atom/ia")
    assert ia.title == "IA générative"
    assert ia.excerpt == "Résumé avec un lien."
    assert ia.published_at == datetime.datetime(2026, 3, 3, 10, 0, tzinfo=datetime.UTC)  # from <updated>
    relative = InboxItem.objects.get(url=feed_server.url("/atom/relative"))
    assert relative.excerpt == "Le contenu, faute de résumé."
    assert relative.published_at == datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)  # <published>


def test_long_titles_and_excerpts_are_cut(feed_server):
    source = WatchSourceFactory(feed_url=feed_server.url("/long.xml"))
    sources.poll_source(source, timeout=TIMEOUT)
    item = InboxItem.objects.get(source=source)
    assert len(item.title) == 300 and item.title.endswith("…")
    assert len(item.excerpt) <= 1000 and item.excerpt.endswith("…")


# --- Deduplication -----------------------------------------------------------------------------------


def test_a_second_poll_files_nothing_twice(feeds):
    sources.poll_source(feeds.rss, timeout=TIMEOUT)
    again = sources.poll_source(feeds.rss, timeout=TIMEOUT)
    assert again.ok and again.new_items == 0
    assert InboxItem.objects.count() == 2


def test_an_item_already_handled_is_not_filed_again(feeds):
    sources.poll_source(feeds.rss, timeout=TIMEOUT)
    InboxItem.objects.update(state=InboxItem.State.DISMISSED)
    sources.poll_source(feeds.rss, timeout=TIMEOUT)
    assert InboxItem.objects.count() == 2
    assert not InboxItem.objects.filter(state=InboxItem.State.NEW).exists()


def test_an_address_already_the_source_of_an_article_is_not_filed(feeds, watch_index):
    make_article(watch_index, source_url="https://example.org/rss/cloud")
    result = sources.poll_source(feeds.rss, timeout=TIMEOUT)
    assert result.new_items == 1
    assert urls_of(feeds.rss) == {"https://example.org/rss/zero-trust"}


# --- Failures ----------------------------------------------------------------------------------------


def test_broken_and_slow_sources_fail_while_the_good_ones_are_polled_in_the_same_run(feeds):
    # The failing ones first: the good ones must still be polled after them.
    order = [feeds.malformed, feeds.error, feeds.slow, feeds.rss, feeds.atom]
    results = sources.poll_sources(order, timeout=TIMEOUT)

    assert [result.ok for result in results] == [False, False, False, True, True]
    assert InboxItem.objects.count() == 4
    for source in (feeds.malformed, feeds.error, feeds.slow):
        source.refresh_from_db()
        assert source.status == WatchSource.Status.FAILING
        assert source.failures == 1
        assert source.last_error
        assert source.last_polled_at is not None and source.last_success_at is None
    assert "500" in feeds.error.last_error
    assert "0.5" in feeds.slow.last_error
    for source in (feeds.rss, feeds.atom):
        source.refresh_from_db()
        assert source.status == WatchSource.Status.OK


def test_failures_in_a_row_are_counted_and_reset_by_a_success(feeds, feed_server):
    sources.poll_source(feeds.error, timeout=TIMEOUT)
    sources.poll_source(feeds.error, timeout=TIMEOUT)
    feeds.error.refresh_from_db()
    assert feeds.error.failures == 2

    feeds.error.feed_url = feed_server.url("/rss.xml?fixed")  # the editors fixed the address
    feeds.error.save()
    assert sources.poll_source(feeds.error, timeout=TIMEOUT).ok
    feeds.error.refresh_from_db()
    assert (feeds.error.status, feeds.error.failures, feeds.error.last_error) == (WatchSource.Status.OK, 0, "")


def test_a_web_page_instead_of_a_feed_is_a_failure(feed_server):
    source = WatchSourceFactory(feed_url=feed_server.url("/page.html"))
    assert not sources.poll_source(source, timeout=TIMEOUT).ok
    source.refresh_from_db()
    assert source.status == WatchSource.Status.FAILING


def test_an_empty_feed_is_not_a_failure(feed_server):
    source = WatchSourceFactory(feed_url=feed_server.url("/empty.xml"))
    result = sources.poll_source(source, timeout=TIMEOUT)
    assert result.ok and result.new_items == 0
    source.refresh_from_db()
    assert source.status == WatchSource.Status.OK


def test_a_connection_refused_is_a_failure_with_a_message():
    source = WatchSourceFactory(feed_url="http://127.0.0.1:9/feed.xml")  # the discard port: nobody listens
    result = sources.poll_source(source, timeout=TIMEOUT)
    assert not result.ok and result.error
    source.refresh_from_db()
    assert source.status == WatchSource.Status.FAILING and source.last_error == result.error


def test_a_feed_above_the_size_cap_is_refused(feed_server):
    with pytest.raises(sources.FeedError):
        sources.fetch(feed_server.url("/big.xml"), timeout=TIMEOUT, max_bytes=1000)


# --- Conditional GET ---------------------------------------------------------------------------------


def test_the_validators_are_sent_back_and_a_304_files_nothing_and_keeps_the_source_ok(feeds, feed_server):
    first = sources.poll_source(feeds.conditional, timeout=TIMEOUT)
    assert first.new_items == 1
    feeds.conditional.refresh_from_db()
    assert (feeds.conditional.etag, feeds.conditional.last_modified) == (ETAG, LAST_MODIFIED)
    first_request = [r for r in feed_server.requests if r.path == "/etag.xml"][0]
    assert first_request.headers.get("If-None-Match") is None

    InboxItem.objects.all().delete()  # were it fetched again, it would be filed again
    second = sources.poll_source(feeds.conditional, timeout=TIMEOUT)

    second_request = [r for r in feed_server.requests if r.path == "/etag.xml"][1]
    assert second_request.headers.get("If-None-Match") == ETAG
    assert second_request.headers.get("If-Modified-Since") == LAST_MODIFIED
    assert "CercleVeille" in second_request.headers.get("User-Agent")
    assert second.ok and second.not_modified and second.new_items == 0
    assert InboxItem.objects.count() == 0
    feeds.conditional.refresh_from_db()
    assert feeds.conditional.status == WatchSource.Status.OK
    assert feeds.conditional.etag == ETAG and feeds.conditional.last_modified == LAST_MODIFIED


def test_a_304_after_failures_puts_the_source_back_to_ok(feeds):
    sources.poll_source(feeds.conditional, timeout=TIMEOUT)
    WatchSource.objects.filter(pk=feeds.conditional.pk).update(status="failing", failures=3, last_error="Panne")
    feeds.conditional.refresh_from_db()
    assert sources.poll_source(feeds.conditional, timeout=TIMEOUT).not_modified
    feeds.conditional.refresh_from_db()
    assert (feeds.conditional.status, feeds.conditional.failures) == (WatchSource.Status.OK, 0)


# --- Only web addresses -----------------------------------------------------------------------------


@pytest.mark.parametrize("address", ["file:///etc/passwd", "ftp://example.org/feed.xml", "/etc/passwd"])
def test_addresses_other_than_http_are_refused(address):
    source = WatchSourceFactory(feed_url=address)
    result = sources.poll_source(source, timeout=TIMEOUT)
    assert not result.ok
    assert InboxItem.objects.count() == 0
    source.refresh_from_db()
    assert source.status == WatchSource.Status.FAILING
    if address.startswith("file"):
        assert "file" in source.last_error


def test_a_redirect_to_a_local_file_is_refused(feed_server):
    source = WatchSourceFactory(feed_url=feed_server.url("/to-file.xml"))
    result = sources.poll_source(source, timeout=TIMEOUT)
    assert not result.ok and "file" in result.error
    assert InboxItem.objects.count() == 0


def test_the_fetcher_itself_refuses_a_file_address():
    with pytest.raises(sources.FeedError):
        sources.fetch("file:///etc/passwd")


# --- The command and the task ------------------------------------------------------------------------


def run_command(*args):
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command("poll_sources", *args, stdout=out, stderr=err)  # returns: exit status 0
    return out.getvalue(), err.getvalue()


def test_the_command_polls_every_active_source_and_reports_failures_on_stderr(feeds, feed_server):
    WatchSource.objects.exclude(pk__in=[feeds.rss.pk, feeds.malformed.pk]).update(active=False)

    out, err = run_command("--timeout", str(TIMEOUT))

    assert f"Analyste RSS (#{feeds.rss.pk}): 2 new items." in out
    assert "Sources polled: 2; new items: 2; failing: 1." in out
    assert f"Flux cassé (#{feeds.malformed.pk}): FAILING" in err
    assert "Flux cassé" not in out
    feeds.atom.refresh_from_db()
    assert feeds.atom.last_polled_at is None  # inactive: left alone


def test_the_command_polls_only_the_sources_asked_for_even_inactive_ones(feeds):
    WatchSource.objects.filter(pk=feeds.atom.pk).update(active=False)

    out, err = run_command("--source", str(feeds.atom.pk), "--source", str(feeds.conditional.pk), "--timeout", "1")

    assert f"Éditeur Atom (#{feeds.atom.pk}): 2 new items." in out
    assert f"Flux conditionnel (#{feeds.conditional.pk}): 1 new item." in out
    assert err == ""
    assert set(InboxItem.objects.values_list("source", flat=True)) == {feeds.atom.pk, feeds.conditional.pk}

    out, _err = run_command("--source", str(feeds.conditional.pk))
    assert f"Flux conditionnel (#{feeds.conditional.pk}): not modified since the last poll." in out


def test_a_failing_source_does_not_make_the_command_fail(feeds, capsys):
    """No CommandError when a source fails (manage.py exits 0; cron mails only what is on stderr). Django's
    own run_from_argv is not used here: it closes the database connection the test runs in."""
    from django.core.management import call_command

    WatchSource.objects.exclude(pk__in=[feeds.rss.pk, feeds.error.pk]).update(active=False)
    with translation.override("en"):
        call_command("poll_sources", "--timeout", str(TIMEOUT))
    captured = capsys.readouterr()
    assert "Analyste RSS" in captured.out and "Serveur en panne" in captured.err


def test_the_command_refuses_an_unknown_source():
    with pytest.raises(CommandError):
        run_command("--source", "999999")


def test_the_scheduled_task_polls_the_active_sources(feeds):
    WatchSource.objects.exclude(pk__in=[feeds.rss.pk, feeds.error.pk]).update(active=False)
    result = sources.poll_sources_task.enqueue(timeout=TIMEOUT)  # immediate backend in tests
    assert result.return_value == {"polled": 2, "new_items": 2, "failing": [feeds.error.pk]}


# --- The sources in the admin ------------------------------------------------------------------------


@pytest.fixture
def editor():
    return make_member("basic", roles_=[roles.TECHWATCH_EDITORS])


def test_a_failing_source_shows_as_failing_with_its_error_in_the_admin(client, editor, feeds):
    sources.poll_sources([feeds.error, feeds.rss], timeout=TIMEOUT)
    feeds.error.refresh_from_db()
    client.force_login(editor)

    response = client.get(reverse("watch_sources:index"))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-source-status="failing"') == 1
    assert 'data-source-status="ok"' in html
    assert "HTTP 500" in html
    assert reverse("watch_sources:poll", args=[feeds.rss.pk]) in html


def test_an_editor_polls_a_source_now_from_the_admin(client, editor, feeds):
    client.force_login(editor)
    index = reverse("watch_sources:index")

    response = client.post(reverse("watch_sources:poll", args=[feeds.rss.pk]), {"next": index})

    assert response.status_code == 302 and response["Location"] == index
    assert urls_of(feeds.rss) == {"https://example.org/rss/cloud", "https://example.org/rss/zero-trust"}
    feeds.rss.refresh_from_db()
    assert feeds.rss.status == WatchSource.Status.OK


@pytest.mark.parametrize("kind", ["anonymous", "basic", "contributor"])
def test_only_editors_poll_sources_from_the_admin(client, feeds, kind):
    if kind != "anonymous":
        roles_ = [roles.TECHWATCH_CONTRIBUTORS] if kind == "contributor" else []
        client.force_login(make_member("basic", roles_=roles_))

    response = client.post(reverse("watch_sources:poll", args=[feeds.rss.pk]))

    assert response.status_code in (302, 403)
    assert InboxItem.objects.count() == 0
    feeds.rss.refresh_from_db()
    assert feeds.rss.last_polled_at is None


def test_an_editor_adds_a_source_but_not_a_non_web_address(client, editor):
    client.force_login(editor)
    fields = {"name": "Analyste", "default_topics": "Cloud", "active": "on"}

    refused = client.post(reverse("watch_sources:add"), {**fields, "feed_url": "ftp://example.org/feed.xml"})
    assert refused.status_code == 200 and not WatchSource.objects.exists()

    added = client.post(reverse("watch_sources:add"), {**fields, "feed_url": "https://example.org/feed.xml"})
    assert added.status_code == 302
    source = WatchSource.objects.get()
    assert (source.name, source.status) == ("Analyste", WatchSource.Status.NEW)


def test_a_source_at_a_path_of_the_site_is_polled_from_base_url(feed_server, settings):
    # The demo's sources are paths of the club's own site: they follow the site to any address and port.
    settings.WAGTAILADMIN_BASE_URL = feed_server.url("")
    source = WatchSourceFactory(feed_url="/rss.xml")
    result = sources.poll_source(source, timeout=TIMEOUT)
    assert result.ok and result.new_items == 2
    assert feed_server.requests[-1].path == "/rss.xml"


def test_an_editor_may_enter_a_path_of_the_site_but_not_a_malformed_address(client, editor):
    client.force_login(editor)
    fields = {"name": "Notre flux", "default_topics": "", "active": "on"}

    refused = client.post(reverse("watch_sources:add"), {**fields, "feed_url": "https://exa mple"})
    assert refused.status_code == 200 and not WatchSource.objects.exists()

    added = client.post(reverse("watch_sources:add"), {**fields, "feed_url": "/static/flux.xml"})
    assert added.status_code == 302
    assert WatchSource.objects.get().feed_url == "/static/flux.xml"


# --- The club's own network ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1/feed.xml", "http://localhost:8000/", "http://10.1.2.3/rss", "http://[::1]/"]
)
def test_addresses_on_the_local_network_are_refused_in_production(settings, url):
    settings.CERCLE_WATCH_PRIVATE_SOURCES = False
    with pytest.raises(sources.FeedError):
        sources.check_destination(url)


def test_a_source_on_the_local_network_fails_politely_in_production(settings, feeds):
    settings.CERCLE_WATCH_PRIVATE_SOURCES = False
    result = sources.poll_source(feeds.rss, timeout=TIMEOUT)
    feeds.rss.refresh_from_db()
    assert not result.ok and feeds.rss.status == WatchSource.Status.FAILING
    assert "private network" in feeds.rss.last_error or "réseau privé" in feeds.rss.last_error
    assert not InboxItem.objects.filter(source=feeds.rss).exists()
