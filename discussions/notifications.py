"""Who is told of what, and the e-mails that tell them.

A post is told to its mentioned members ("mention"), to the followers of its thread (a reply: "reply") or
of its space (an opening post: "thread"), never to its author. Each recipient is asked of the access
policy when the task runs, not when they followed or were mentioned: someone who left a private group, whose
premium ended or whose membership lapsed gets nothing, not even a `Notification` row. One row per person
and post (a mention wins over a follow), so that running the task again (an edit adding mentions) tells
only the people not yet told.

What happens to a row follows the person's `Profile.notify_discussions`: "immediate" sends one e-mail at
once; "daily" leaves it pending (`sent_at` NULL) for `manage.py send_discussion_digest`; "never" records
it as handled, without a word sent (the dashboard may still show it).

E-mails are in the club's language (the recipient's is not kept), in plain text with an HTML alternative
escaped by Django; the post's words come from its sanitised HTML as plain text, never marked safe. Every
e-mail about a followed thread or space carries a signed one-click unfollow link (RFC 8058).
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from members.access import Viewer
from members.models import Profile
from members.services import absolute_url, person_name
from members.tasks import send_email

from . import markup, services
from .models import Follow, Mention, Notification, Post, Space, Thread

Reason = Notification.Reason
Mail = Profile.DiscussionMail

UNFOLLOW_SALT = "discussions.unfollow"
UNFOLLOW_LINK_AGE = datetime.timedelta(days=90)
EXCERPT_LENGTH = 1500


# ---------------------------------------------------------------------------------------------
# Unfollow tokens
# ---------------------------------------------------------------------------------------------


def unfollow_token(user, *, thread=None, space=None):
    """The signed secret of a one-click unfollow link: the person and what they stop following."""
    target = ["thread", thread.pk] if thread is not None else ["space", space.pk]
    return signing.dumps([user.pk, *target], salt=UNFOLLOW_SALT, compress=True)


def unfollow_url(user, *, thread=None, space=None):
    return absolute_url(reverse("discussions:unfollow_token", args=[unfollow_token(user, thread=thread, space=space)]))


class LinkExpired(Exception):
    """A genuine unfollow link older than UNFOLLOW_LINK_AGE."""


def read_unfollow_token(token):
    """(user id, "thread" | "space", target id), or None for a forged, cut or malformed token.

    Raises LinkExpired for a genuine link that is too old."""
    try:
        value = signing.loads(token, salt=UNFOLLOW_SALT, max_age=UNFOLLOW_LINK_AGE)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        return None
    if (
        not isinstance(value, list)
        or len(value) != 3
        or value[1] not in ("thread", "space")
        or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in (value[0], value[2]))
    ):
        return None
    return value[0], value[1], value[2]


# ---------------------------------------------------------------------------------------------
# Who may be told
# ---------------------------------------------------------------------------------------------


def _load_post(post_id):
    return (
        Post.objects.select_related("thread__space__group", "author__profile")
        .filter(pk=post_id)
        .first()
    )


def may_be_told(user, space):
    """Asked for every recipient at send time: an active, not anonymised person who may read the space."""
    if user is None or not user.is_active:
        return False
    profile = getattr(user, "profile", None)
    if profile is not None and profile.anonymised_at is not None:
        return False
    return services.may_read(Viewer(user), space)


def preference(user):
    profile = getattr(user, "profile", None)
    return profile.notify_discussions if profile is not None else Mail.DAILY


def _recipients(post):
    """{user id: reason} for a post: mentions first, then the followers (of the thread, or of the space for an
    opening post) who followed before it was written; never its author."""
    reasons = {}
    for user_id in Mention.objects.filter(post=post).values_list("user_id", flat=True):
        reasons[user_id] = Reason.MENTION
    if post.is_opening:
        followers = Follow.objects.filter(space_id=post.thread.space_id)
        reason = Reason.THREAD
    else:
        followers = Follow.objects.filter(thread_id=post.thread_id)
        reason = Reason.REPLY
    for user_id in followers.filter(created_at__lte=post.created_at).values_list("user_id", flat=True):
        reasons.setdefault(user_id, reason)
    reasons.pop(post.author_id, None)
    return reasons


def _record(user, post, reason, sent_at):
    """The person's row for this post, or None when another run wrote it first."""
    try:
        with transaction.atomic():
            return Notification.objects.create(user=user, post=post, reason=reason, sent_at=sent_at)
    except IntegrityError:
        return None


def _deliver(notification, post):
    """Write the row the person's preference asks for, and send the e-mail if it is "immediate"."""
    user = notification.user
    wanted = preference(user)
    now = timezone.now()
    if wanted == Mail.IMMEDIATE and user.email:
        row = _record(user, post, notification.reason, now)
        if row is not None:
            send_post_email(row, post)
        return row
    # "daily": pending for the summary; "never" (or no address): handled, nothing sent.
    return _record(user, post, notification.reason, None if wanted == Mail.DAILY and user.email else now)


def post_written(post_id):
    """Tell whoever should hear of a new post (or of the new mentions of an edited one). Returns the rows written."""
    post = _load_post(post_id)
    if post is None or not post.is_shown:
        return []
    space = post.thread.space
    reasons = _recipients(post)
    if not reasons:
        return []
    told = set(Notification.objects.filter(post=post, user_id__in=reasons).values_list("user_id", flat=True))
    users = (
        get_user_model()
        .objects.filter(pk__in=[pk for pk in reasons if pk not in told], is_active=True)
        .select_related("profile")
        .order_by("pk")
    )
    written = []
    with translation.override(settings.LANGUAGE_CODE):
        for user in users:
            if not may_be_told(user, space):
                continue
            row = _deliver(Notification(user=user, post=post, reason=reasons[user.pk]), post)
            if row is not None:
                written.append(row)
    return written


def solution_marked(post_id, by_id):
    """Tell a reply's author that it solved the question (unless they marked it themselves)."""
    post = _load_post(post_id)
    if post is None or not post.is_shown or post.author_id is None or post.author_id == by_id:
        return None
    user = post.author
    if not may_be_told(user, post.thread.space):
        return None
    if Notification.objects.filter(user=user, post=post).exists():
        return None  # marked, unmarked and marked again: told once
    with translation.override(settings.LANGUAGE_CODE):
        return _deliver(Notification(user=user, post=post, reason=Reason.SOLVED), post)


def post_hidden(post_id):
    """Tell a post's author that a moderator hid it, and why: a moderation notice, sent at once whatever the
    person's preference. Not to someone who may no longer read the space (it would name the thread)."""
    post = _load_post(post_id)
    if post is None or not post.is_hidden or post.author_id is None:
        return None
    user = post.author
    if not user.email or not may_be_told(user, post.thread.space):
        return None
    now = timezone.now()
    with transaction.atomic():
        row, created = Notification.objects.get_or_create(
            user=user, post=post, defaults={"reason": Reason.HIDDEN, "sent_at": now}
        )
        if not created:
            if row.reason == Reason.HIDDEN and row.sent_at is not None and row.sent_at >= post.hidden_at:
                return None  # this hiding was told already
            row.reason, row.sent_at = Reason.HIDDEN, now
            row.save(update_fields=["reason", "sent_at"])
    with translation.override(settings.LANGUAGE_CODE):
        send_post_email(row, post)
    return row


# ---------------------------------------------------------------------------------------------
# The e-mails
# ---------------------------------------------------------------------------------------------

def subject_for(reason, post):
    values = {
        "name": person_name(post.author) if post.author else _("A member"),
        "title": post.thread.title,
        "space": post.thread.space.title,
    }
    # The msgids, spelled out for makemessages.
    texts = {
        Reason.MENTION: _("%(name)s mentioned you: %(title)s"),
        Reason.REPLY: _("New reply: %(title)s"),
        Reason.THREAD: _("New thread in %(space)s: %(title)s"),
        Reason.SOLVED: _("Your answer solved the question: %(title)s"),
        Reason.HIDDEN: _("A moderator hid your message: %(title)s"),
    }
    # One line: a title cannot break the e-mail's headers.
    return " ".join(("[Cercle] " + texts[reason] % values).split())


def post_excerpt(post, length=EXCERPT_LENGTH):
    text = markup.plain_text(post.html)
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0] + "…"


def unfollow_target(notification, post):
    """What the one-click link of this e-mail stops: the space for a new thread, else the thread."""
    if notification.reason == Reason.HIDDEN:
        return None
    if notification.reason == Reason.THREAD:
        return {"space": post.thread.space}
    return {"thread": post.thread}


def post_context(notification, post):
    """What one e-mail (or one item of a summary) says of one post."""
    return {
        "reason": notification.reason,
        "post": post,
        "thread": post.thread,
        "space": post.thread.space,
        "author_name": person_name(post.author) if post.author else _("A former member"),
        "excerpt": post_excerpt(post),
        "url": absolute_url(reverse("discussions:post", args=[post.pk])),
    }


def send_post_email(notification, post):
    user = notification.user
    target = unfollow_target(notification, post)
    context = {
        **post_context(notification, post),
        "name": person_name(user),
        "unfollow_url": unfollow_url(user, **target) if target else "",
        "following_url": absolute_url(reverse("discussions:following")),
        "profile_url": absolute_url(reverse("members:profile")),
        "hidden_reason": post.hidden_reason,
    }
    text = render_to_string("discussions/email/post.txt", context)
    html = render_to_string("discussions/email/post.html", context)
    headers = {}
    if target:
        headers = {
            "List-Unsubscribe": f"<{context['unfollow_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    send_email.enqueue(
        subject=subject_for(notification.reason, post), to=[user.email], text=text, html=html, headers=headers
    )


# ---------------------------------------------------------------------------------------------
# The daily summary
# ---------------------------------------------------------------------------------------------


def pending_users():
    """People with notifications waiting for the summary."""
    pending = Notification.objects.filter(sent_at__isnull=True).values("user_id")
    return get_user_model().objects.filter(pk__in=pending).select_related("profile").order_by("pk")


def _sort_out(user, rows):
    """(rows to tell, rows to drop): a post no longer shown, or in a space the person may no longer read, is
    dropped without a word."""
    keep, drop = [], []
    for row in rows:
        if row.post.is_shown and may_be_told(user, row.post.thread.space):
            keep.append(row)
        else:
            drop.append(row.pk)
    return keep, drop


def group_by_thread(rows):
    """[{"thread", "items"}] in the order of the rows (each thread once, its posts in order)."""
    threads = {}
    for row in rows:
        threads.setdefault(row.post.thread_id, {"thread": row.post.thread, "items": []})
        threads[row.post.thread_id]["items"].append(post_context(row, row.post))
    return list(threads.values())


def send_summary(user, dry_run=False):
    """One person's summary: returns the number of posts it told (0: nothing sent)."""
    rows = list(
        Notification.objects.filter(user=user, sent_at__isnull=True)
        .select_related("post__thread__space__group", "post__author__profile")
        .order_by("post__thread__last_activity_at", "post__thread_id", "post__created_at", "pk")
    )
    if not rows:
        return 0
    if preference(user) == Mail.NEVER or not user.email or not user.is_active:
        if not dry_run:
            Notification.objects.filter(pk__in=[r.pk for r in rows], sent_at__isnull=True).update(
                sent_at=timezone.now()
            )
        return 0
    keep, drop = _sort_out(user, rows)
    if dry_run:
        return len(keep)
    if drop:
        Notification.objects.filter(pk__in=drop, sent_at__isnull=True).delete()
    if not keep:
        return 0
    # Claim the rows first: a second run at the same time finds them sent and tells nobody twice.
    claimed_at = timezone.now()
    ids = [row.pk for row in keep]
    with transaction.atomic():
        Notification.objects.filter(pk__in=ids, sent_at__isnull=True).update(sent_at=claimed_at)
        mine = set(Notification.objects.filter(pk__in=ids, sent_at=claimed_at).values_list("pk", flat=True))
    keep = [row for row in keep if row.pk in mine]
    if not keep:
        return 0
    groups = group_by_thread(keep)
    for group in groups:
        group["unfollow_url"] = unfollow_url(user, thread=group["thread"])
    count = len(keep)
    context = {
        "name": person_name(user),
        "groups": groups,
        "count": count,
        "following_url": absolute_url(reverse("discussions:following")),
        "profile_url": absolute_url(reverse("members:profile")),
        "index_url": absolute_url(reverse("discussions:index")),
    }
    text = render_to_string("discussions/email/summary.txt", context)
    html = render_to_string("discussions/email/summary.html", context)
    subject = ngettext(
        "[Cercle] Discussions: %(count)s new message", "[Cercle] Discussions: %(count)s new messages", count
    ) % {"count": count}
    try:
        send_email.enqueue(subject=subject, to=[user.email], text=text, html=html)
    except Exception:
        Notification.objects.filter(pk__in=mine, sent_at=claimed_at).update(sent_at=None)
        raise
    return count


def send_summaries(dry_run=False):
    """Every pending summary; returns (e-mails sent, posts told)."""
    mails = told = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user in pending_users():
            count = send_summary(user, dry_run=dry_run)
            if count:
                mails += 1
                told += count
    return mails, told


def target_of(kind, pk):
    """The thread or space a token names, with what the policy needs, or None if it is gone."""
    if kind == "thread":
        return Thread.objects.select_related("space__group").filter(pk=pk).first()
    return Space.objects.select_related("group").filter(pk=pk).first()
