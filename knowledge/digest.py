"""The weekly digest of the technology watch: one e-mail a week to the members who asked for it.

What each person finds in it is the access policy's answer for them (members/access.py), as on the site:
the articles they may read in full come with their whole summary and the editors' view; those they may
only know of (premium articles, for a basic member) come as a teaser, with an invitation to upgrade. The
body and the attachments of an article never leave the site by e-mail.

A week is sent once: its `DigestIssue` is unique, and a `DigestReceipt` is written for each person as
their e-mail is queued, so that a second run (or a run after an interruption) sends to nobody twice.
`manage.py send_techwatch_digest` runs it from cron; `send_digest_task` from the task queue.

Every e-mail carries a one-click unsubscribe link (RFC 8058): a signed token holding the person's id,
valid for UNSUBSCRIBE_LINK_AGE. Opening the link shows a one-button confirmation and changes nothing
(mail scanners open links); the button, or the mail client's one-click POST, unsubscribes.
"""

import dataclasses
import datetime
import html
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django_tasks import task
from wagtail.log_actions import log
from wagtail.rich_text import expand_db_html

from members.access import Viewer, can_read, filter_pages
from members.models import Profile
from members.services import absolute_url, person_name
from members.tasks import send_email

from .models import DigestIssue, DigestReceipt, TechWatchArticlePage, TechWatchIndexPage

UNSUBSCRIBE_SALT = "cercle.knowledge.digest.unsubscribe"
# Long enough for a digest read late; after that, the profile (once logged in) manages the digest.
UNSUBSCRIBE_LINK_AGE = datetime.timedelta(days=60)
TEASER_WORDS = 30


# ---------------------------------------------------------------------------------------------
# Weeks and articles
# ---------------------------------------------------------------------------------------------


def week_start_of(day):
    """The Monday of the week `day` falls in."""
    return day - datetime.timedelta(days=day.weekday())


def last_complete_week(today=None):
    """The Monday of the last full week (Monday to Sunday) before `today` (the club's local date)."""
    return week_start_of(today or timezone.localdate()) - datetime.timedelta(days=7)


def _local_midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def week_articles(week_start):
    """The live articles first published during the week, featured ones first, then newest first."""
    start = _local_midnight(week_start)
    end = _local_midnight(week_start + datetime.timedelta(days=7))
    return (
        TechWatchArticlePage.objects.live()
        .filter(first_published_at__gte=start, first_published_at__lt=end)
        .select_related("cercle_audience")
        .prefetch_related("topics")
        .order_by("-featured", "-first_published_at", "-pk")
    )


def subscribers():
    """Active people who asked for the digest and have an address; the policy then keeps the members."""
    return (
        get_user_model()
        .objects.filter(is_active=True, profile__notify_digest=True)
        .exclude(email="")
        .select_related("profile")
        .order_by("pk")
    )


# ---------------------------------------------------------------------------------------------
# What an e-mail says
# ---------------------------------------------------------------------------------------------


_LINK = re.compile(r"""<a\b[^>]*?\bhref=(["'])(?P<href>.*?)\1[^>]*>(?P<label>.*?)</a>""", re.I | re.S)
_LINE_BREAK = re.compile(r"</(p|li|h[1-6]|ul|ol|blockquote|div)>|<br\s*/?>", re.I)
_RELATIVE_HREF = re.compile(r"""(\bhref=["'])/(?!/)""", re.I)


def rich_text_html(value):
    """Rich text for an e-mail: internal links expanded, and made absolute (a mail client has no site)."""
    expanded = expand_db_html(value or "")
    base = absolute_url("")
    # The editors' own HTML, from a rich-text field whose features Wagtail already restricts.
    return mark_safe(_RELATIVE_HREF.sub(lambda m: f"{m.group(1)}{base}/", expanded))


def rich_text_plain(value_html):
    """The same rich text as plain text: paragraphs and list items on their own lines, links spelled out."""
    text = _LINK.sub(lambda m: f"{m.group('label')} ({m.group('href')})", str(value_html))
    text = re.sub(r"<li\b[^>]*>", "- ", text, flags=re.I)
    text = html.unescape(strip_tags(_LINE_BREAK.sub("\n", text)))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


@dataclasses.dataclass
class ArticleDigest:
    """What the digest may say of one article; each recipient gets all of it or only the teaser fields."""

    article: TechWatchArticlePage
    url: str
    topics: list
    teaser: str
    commentary_html: str
    commentary_text: str


@dataclasses.dataclass
class DigestEntry:
    """One article in one person's e-mail: `full` says whether they may read it in full."""

    item: ArticleDigest
    full: bool

    @property
    def article(self):
        return self.item.article

    @property
    def url(self):
        return self.item.url

    @property
    def topics(self):
        return self.item.topics if self.full else []

    @property
    def commentary_html(self):
        return self.item.commentary_html if self.full else ""

    @property
    def commentary_text(self):
        return self.item.commentary_text if self.full else ""

    @property
    def summary(self):
        return self.article.summary if self.full else self.item.teaser


def _article_digest(article):
    commentary_html = rich_text_html(article.commentary) if article.commentary else ""
    return ArticleDigest(
        article=article,
        url=absolute_url(article.get_url() or "/"),
        topics=[topic.name for topic in article.topics.all()],
        teaser=Truncator(article.summary).words(TEASER_WORDS),
        commentary_html=commentary_html,
        commentary_text=rich_text_plain(commentary_html) if commentary_html else "",
    )


def _club_contact():
    """Where a member asks for the premium tier: the contact page and e-mail of Settings → Club, else the site.

    `home` sits above `knowledge` (DESIGN.md: apps depend downward), hence the lookup by name.
    """
    from django.apps import apps
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    url, email, name = None, "", (site.site_name if site else "") or "Cercle"
    try:
        club_settings = apps.get_model("home", "ClubSettings")
    except LookupError:
        club_settings = None
    if club_settings is not None and site is not None:
        club = club_settings.for_site(site)
        name = club.club_name or name
        email = club.contact_email
        if club.contact_page_id and club.contact_page.live:
            url = absolute_url(club.contact_page.get_url() or "/")
    return {
        "club_name": name,
        "contact_url": url or absolute_url("/"),
        "contact_email": email,
        # The button of the upgrade invitation: the member's one-click request to the secretariat.
        "upgrade_url": absolute_url(f"{reverse('members:membership_request')}?kind=upgrade"),
    }


def unsubscribe_token(user):
    """The secret of a person's unsubscribe link (signed and dated: it works for UNSUBSCRIBE_LINK_AGE)."""
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


class LinkExpired(Exception):
    """An unsubscribe link that was genuine, but is older than UNSUBSCRIBE_LINK_AGE."""


def user_for_token(token):
    """The person behind an unsubscribe token, or None for a forged, cut or unknown one.

    Raises LinkExpired for a genuine link that is too old, so that the page can say so.
    """
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_LINK_AGE)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int):
        return None
    return get_user_model().objects.filter(pk=pk).first()


def unsubscribe_url(user):
    return absolute_url(reverse("knowledge:digest_unsubscribe", args=[unsubscribe_token(user)]))


def _shared_context(week_start, articles):
    """What every e-mail of the week has in common (built once, in the club's language)."""
    week_end = week_start + datetime.timedelta(days=6)
    index = TechWatchIndexPage.objects.live().first()
    return {
        "week_start": week_start,
        "week_end": week_end,
        "items": [_article_digest(article) for article in articles],
        "watch_url": absolute_url((index.get_url() if index else None) or "/"),
        "profile_url": absolute_url(reverse("members:profile")),
        "subject": _("Technology watch: the week of %(date)s") % {"date": date_format(week_start, "DATE_FORMAT")},
        **_club_contact(),
    }


def entries_for(viewer, items):
    """The articles of the week this person may know of, each marked with whether they read it in full."""
    known = set(
        filter_pages(viewer, TechWatchArticlePage.objects.filter(pk__in=[i.article.pk for i in items])).values_list(
            "pk", flat=True
        )
    )
    return [DigestEntry(item, can_read(viewer, item.article)) for item in items if item.article.pk in known]


def render_digest(user, entries, shared):
    """(subject, text, html, headers) of one person's e-mail."""
    url = unsubscribe_url(user)
    context = {
        **shared,
        "user": user,
        "name": person_name(user),
        "entries": entries,
        "full_count": sum(entry.full for entry in entries),
        "invite_upgrade": any(not entry.full for entry in entries),
        "unsubscribe_url": url,
    }
    text = render_to_string("knowledge/email/digest.txt", context)
    html_part = render_to_string("knowledge/email/digest.html", context)
    headers = {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return shared["subject"], text, html_part, headers


# ---------------------------------------------------------------------------------------------
# Sending
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class DigestResult:
    """What a run did, for the command's output and the task's return value."""

    week_start: datetime.date
    article_count: int = 0
    sent: int = 0
    with_teasers: int = 0  # e-mails that carried teasers and the invitation to upgrade
    already_received: int = 0  # had this week's digest from an earlier run
    not_members: int = 0  # asked for the digest, but the policy sees no member (ended, charter to sign)
    already_finished: bool = False  # the week had been sent in full before this run

    @property
    def week_end(self):
        return self.week_start + datetime.timedelta(days=6)

    @property
    def status(self):
        if self.already_finished:
            return "already_sent"
        return "sent" if self.article_count else "empty"

    def as_dict(self):
        data = dataclasses.asdict(self)
        data.update(week_start=self.week_start.isoformat(), week_end=self.week_end.isoformat(), status=self.status)
        return data


def _queue(issue, user, viewer, entries, shared):
    """Write the person's receipt, then queue their e-mail. False if another run got there first."""
    try:
        with transaction.atomic():
            receipt = DigestReceipt.objects.create(issue=issue, user=user, tier=viewer.tier or "")
    except IntegrityError:
        return False
    subject, text, html_part, headers = render_digest(user, entries, shared)
    try:
        send_email.enqueue(subject=subject, to=[user.email], text=text, html=html_part, headers=headers)
    except Exception:
        receipt.delete()  # not queued: the next run tries this person again
        raise
    return True


def send_digest(week_start=None):
    """Send the digest of the week containing `week_start` (default: the last complete week). Idempotent."""
    week_start = week_start_of(week_start) if week_start else last_complete_week()
    result = DigestResult(week_start)
    issue = DigestIssue.objects.filter(week_start=week_start).first()
    if issue is not None and issue.finished_at is not None:
        result.already_finished, result.article_count = True, issue.article_count
        return result
    articles = list(week_articles(week_start))
    result.article_count = len(articles)
    if not articles:
        return result
    if issue is None:
        issue, _created = DigestIssue.objects.get_or_create(week_start=week_start)
    received = set(issue.receipts.values_list("user_id", flat=True))

    # The club speaks French first; its addresses are built in that language too (no /en/ prefix).
    with translation.override(settings.LANGUAGE_CODE):
        shared = _shared_context(week_start, articles)
        for user in subscribers():
            if user.pk in received:
                result.already_received += 1
                continue
            viewer = Viewer(user)
            if not viewer.is_member:
                result.not_members += 1
                continue
            entries = entries_for(viewer, shared["items"])
            if not entries:
                continue
            if _queue(issue, user, viewer, entries, shared):
                result.sent += 1
                result.with_teasers += any(not entry.full for entry in entries)
            else:
                result.already_received += 1

    issue.article_count = len(articles)
    issue.finished_at = timezone.now()
    issue.save(update_fields=["article_count", "finished_at"])
    return result


@task()
def send_digest_task(week=None):
    """The digest from the task queue; `week` is any day of the week (ISO date), default the last complete one."""
    week_start = datetime.date.fromisoformat(week) if week else None
    return send_digest(week_start).as_dict()


# ---------------------------------------------------------------------------------------------
# The unsubscribe link
# ---------------------------------------------------------------------------------------------


def set_digest_subscription(user, subscribed):
    profile, _created = Profile.objects.get_or_create(user=user)
    if profile.notify_digest != subscribed:
        Profile.objects.filter(pk=profile.pk).update(notify_digest=subscribed)
        # In the audit log: a member asking why the digest stopped gets an answer from staff.
        log(profile, "cercle.digest.subscribe" if subscribed else "cercle.digest.unsubscribe", user=user)
    return subscribed


def _csrf_rejection(request):
    """The view is CSRF-exempt for mail clients' one-click POST; resubscribing goes through the usual check."""
    return CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {})


def _is_subscribed(user):
    return Profile.objects.filter(user=user, notify_digest=True).exists()


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """No login: the signed link is the person's authority.

    GET shows a one-button confirmation and changes nothing, since mail scanners and link previews open
    every link of an e-mail. POST unsubscribes: the page's button, or the mail client's RFC 8058 one-click
    POST (`List-Unsubscribe=One-Click`), which carries no CSRF token. POST with action=resubscribe, from the
    page shown after unsubscribing, subscribes again (with the usual CSRF check). The page never shows the
    person's address: whoever holds the link learns nothing from it.
    """
    template = "knowledge/digest_unsubscribe.html"
    try:
        user = user_for_token(token)
    except LinkExpired:
        response = render(request, template, {"state": "expired"}, status=410)
    else:
        if user is None:
            response = render(request, template, {"state": "invalid"}, status=400)
        else:
            response = _unsubscribe_page(request, template, user)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _unsubscribe_page(request, template, user):
    if request.method == "GET":
        state = "confirm" if _is_subscribed(user) else "unsubscribed"
        return render(request, template, {"state": state})
    resubscribe = request.POST.get("action") == "resubscribe"
    if resubscribe and (rejection := _csrf_rejection(request)) is not None:
        return rejection
    set_digest_subscription(user, subscribed=resubscribe)
    return render(request, template, {"state": "resubscribed" if resubscribe else "unsubscribed"})
