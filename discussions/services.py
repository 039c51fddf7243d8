"""Writes on discussions: start a thread, reply, edit, delete, mark the solution. One transaction each,
each audited in Wagtail's log; e-mails and the external search engine are told after the commit.

Every function takes the `Viewer` of the person acting and asks the access policy first
(members.access: may_read_conversation, may_take_part, may_moderate); a refusal is a `DiscussionError`
whose message is for that person and whose `status` is the HTTP answer (403, 404, 409, 413, 429).
Moderation (pin, lock, move, hide, reports) lives in discussions/moderation.py."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from members import access

from . import markup
from .models import Follow, MemberHandle, Mention, Post, PostRevision, Space, Thread


class DiscussionError(Exception):
    """Something a member asked that cannot be done; the message says why, `status` is the HTTP answer."""

    status = 400

    def __init__(self, message, status=None):
        super().__init__(message)
        if status is not None:
            self.status = status


class RateLimited(DiscussionError):
    status = 429


# --- Who may do what, asked of the policy ------------------------------------------------------------


def may_read(viewer, space):
    return access.may_read_conversation(viewer, *space.audience) and _space_open(space)


def decision(viewer, space):
    """The policy's answer for a space (or a thread's space): full, or which refusal."""
    if not _space_open(space):
        return access.Decision(access.Decision.NOT_FOUND)
    return access.decide_conversation(viewer, *space.audience)


def may_write(viewer, space):
    return _space_open(space) and access.may_take_part(viewer, *space.audience, space.posters_group_id)


def may_moderate(viewer, space):
    return may_read(viewer, space) and access.may_moderate(viewer, space.group_id)


def may_reply(viewer, thread):
    """Locked threads take no reply, except from their moderators."""
    if not may_write(viewer, thread.space):
        return False
    return not thread.locked or may_moderate(viewer, thread.space)


def may_edit(viewer, post):
    """Authors edit and delete their own shown posts (in a thread they may still write in)."""
    return (
        viewer.is_authenticated
        and post.author_id == viewer.user.pk
        and post.is_shown
        and may_write(viewer, post.thread.space)
    )


def may_mark_solution(viewer, thread):
    """The question's author, or a moderator of its space, marks the reply that solved it."""
    if not thread.is_question or not may_read(viewer, thread.space):
        return False
    is_author = viewer.is_authenticated and thread.author_id == viewer.user.pk and may_write(viewer, thread.space)
    return is_author or may_moderate(viewer, thread.space)


def _space_open(space):
    return space.group_id is None or space.group.live


def _require(condition, message, status=403):
    if not condition:
        raise DiscussionError(message, status)


# --- Limits ------------------------------------------------------------------------------------------


def _window_start():
    return timezone.now() - datetime.timedelta(minutes=settings.CERCLE_DISCUSSION_WINDOW_MINUTES)


def check_rate(viewer, *, new_thread=False, mentions=0):
    """Refuse (429) a member who posts, starts threads or mentions people faster than the club allows."""
    if viewer.is_staff:
        return
    since = _window_start()
    minutes = settings.CERCLE_DISCUSSION_WINDOW_MINUTES
    recent = Post.objects.filter(author=viewer.user, created_at__gte=since)
    if recent.count() >= settings.CERCLE_DISCUSSION_POSTS_PER_WINDOW:
        raise RateLimited(
            _("You have posted many messages in the last %(minutes)s minutes. Wait a little, then send it again.")
            % {"minutes": minutes}
        )
    if new_thread and recent.filter(number=1).count() >= settings.CERCLE_DISCUSSION_THREADS_PER_WINDOW:
        raise RateLimited(
            _("You have started several threads in the last %(minutes)s minutes. Wait a little, then send it again.")
            % {"minutes": minutes}
        )
    if mentions:
        made = Mention.objects.filter(post__author=viewer.user, created_at__gte=since).count()
        if made + mentions > settings.CERCLE_DISCUSSION_MENTIONS_PER_WINDOW:
            raise RateLimited(
                _("You have mentioned many members in the last %(minutes)s minutes. Wait a little, then send it again.")
                % {"minutes": minutes}
            )


def check_title(title):
    title = " ".join((title or "").split())
    _require(title, _("Give the thread a title."), 400)
    _require(len(title) <= 200, _("A title holds at most 200 characters."), 400)
    _require("\x00" not in title, _("The title holds a character that cannot be stored."), 400)
    return title


def check_text(source):
    # Blank lines around the text go, not the first line's indentation (an indented code block).
    text = (source or "").rstrip().lstrip("\r\n")
    _require(text.strip(), _("Write a message first."), 400)
    limit = settings.CERCLE_DISCUSSION_MAX_LENGTH
    if len(text) > limit:
        raise DiscussionError(
            _("A message holds at most %(limit)s characters; this one has %(count)s.")
            % {"limit": limit, "count": len(text)},
            413,
        )
    if "\x00" in text:
        raise DiscussionError(_("The message holds a character that cannot be stored."), 400)
    return text


# --- Mentions ----------------------------------------------------------------------------------------


def handle_for(user):
    """The member's `@` handle, made from their name on first need and unique in the club."""
    existing = MemberHandle.objects.filter(user=user).values_list("handle", flat=True).first()
    return existing or assign_handle(user)


def handle_base(user):
    """A handle from the person's name; never from the login, which is their e-mail address."""
    profile = getattr(user, "profile", None)
    name = (profile.display_name if profile is not None else "") or user.get_full_name()
    return slugify(name).replace("-", ".")[:50].strip(".") or f"membre{user.pk}"


def assign_handle(user):
    base = handle_base(user)
    handle, n = base, 1
    while MemberHandle.objects.filter(handle=handle).exclude(user=user).exists():
        n += 1
        handle = f"{base}{n}"
    MemberHandle.objects.update_or_create(user=user, defaults={"handle": handle})
    return handle


def mentionable(space, handles):
    """{handle: user} for the handles naming a member who may read `space`; nobody else is mentioned."""
    if not handles:
        return {}
    rows = MemberHandle.objects.filter(handle__in=handles[: settings.CERCLE_DISCUSSION_MAX_MENTIONS * 2])
    found = {}
    for row in rows.select_related("user", "user__profile"):
        if row.user.is_active and may_read(access.Viewer(row.user), space):
            found[row.handle] = row.user
    return found


def _render(space, source, author):
    """(sanitised html, the other members it mentions who may read the space); at most
    CERCLE_DISCUSSION_MAX_MENTIONS of them, in a new post as in an edit."""
    from django.urls import reverse

    users = mentionable(space, markup.mentioned_handles(source))
    links = {handle: reverse("members:profile_detail", args=[user.pk]) for handle, user in users.items()}
    others = [user for user in users.values() if user.pk != author.pk]
    if len(others) > settings.CERCLE_DISCUSSION_MAX_MENTIONS:
        raise DiscussionError(
            _("Mention at most %(limit)s members in one message.") % {"limit": settings.CERCLE_DISCUSSION_MAX_MENTIONS},
            400,
        )
    return markup.render(source, links), others


# --- Writes ------------------------------------------------------------------------------------------


def _existing_submission(viewer, submission_key):
    if not submission_key:
        return None
    return Post.objects.filter(author=viewer.user, submission_key=submission_key).select_related("thread").first()


def _add_post(viewer, thread, source, *, quoted=None, attachments=(), submission_key="", is_new_thread=False):
    """Write one post at the thread's next number, with its mentions, counters and follow."""
    html, mentioned = _render(thread.space, source, viewer.user)
    check_rate(viewer, new_thread=is_new_thread, mentions=len(mentioned))
    now = timezone.now()
    # The thread's row is locked while its next number is taken (SQLite: the IMMEDIATE transaction).
    locked = Thread.objects.select_for_update().get(pk=thread.pk)
    post = Post.objects.create(
        thread=locked,
        number=locked.post_count + 1,
        author=viewer.user,
        source=source,
        html=html,
        quoted=quoted,
        created_at=now,
        submission_key=submission_key or "",
    )
    if attachments:
        post.attachments.set(attachments)
    Mention.objects.bulk_create([Mention(post=post, user=user, created_at=now) for user in mentioned])
    Thread.objects.filter(pk=thread.pk).update(
        post_count=F("post_count") + 1, last_activity_at=now, last_author=viewer.user
    )
    Space.objects.filter(pk=thread.space_id).update(
        post_count=F("post_count") + 1,
        thread_count=F("thread_count") + (1 if is_new_thread else 0),
        last_activity_at=now,
    )
    Follow.objects.get_or_create(user=viewer.user, thread=thread)
    return post


def _after_commit(post):
    from .tasks import notify_post

    transaction.on_commit(lambda: notify_post.enqueue(post_id=post.pk))


def reindex(thread, posts=()):
    """Bring the search documents of a thread (and some of its posts) in step."""
    from search import index

    index.update(thread)
    for post in posts:
        index.update(post)


def _once(viewer, submission_key, write):
    """Run `write()` (which returns the new post) in one transaction, unless this same submission (a double
    click, a resent form, two requests racing) already wrote its post: then that post is the answer."""
    try:
        with transaction.atomic():
            existing = _existing_submission(viewer, submission_key)
            return existing if existing is not None else write()
    except IntegrityError:
        existing = _existing_submission(viewer, submission_key)
        if existing is None:
            raise
        return existing


def start_thread(viewer, space, *, title, source, is_question=False, attachments=(), submission_key=""):
    """A new thread in `space`, its text as post 1. Returns the opening post."""
    _require(may_write(viewer, space), _("You may read this space but not write in it."))
    title = check_title(title)
    source = check_text(source)

    def write():
        now = timezone.now()
        thread = Thread.objects.create(
            space=space,
            title=title,
            author=viewer.user,
            is_question=is_question,
            created_at=now,
            last_activity_at=now,
            last_author=viewer.user,
        )
        post = _add_post(
            viewer, thread, source, attachments=attachments, submission_key=submission_key, is_new_thread=True
        )
        log(thread, "cercle.discussions.start", user=viewer.user, data={"space": space.pk, "post": post.pk})
        reindex(thread, [post])
        _after_commit(post)
        return post

    return _once(viewer, submission_key, write)


def reply(viewer, thread, *, source, quoted=None, attachments=(), submission_key=""):
    """A reply to `thread`. Returns the new post (or the one this same submission already wrote)."""
    _require(may_write(viewer, thread.space), _("You may read this space but not write in it."))
    _require(may_reply(viewer, thread), _("This thread is locked: it takes no more replies."), 409)
    if quoted is not None:
        _require(quoted.thread_id == thread.pk and quoted.is_shown, _("That message cannot be quoted."), 400)
    source = check_text(source)

    def write():
        post = _add_post(viewer, thread, source, quoted=quoted, attachments=attachments, submission_key=submission_key)
        log(thread, "cercle.discussions.reply", user=viewer.user, data={"post": post.pk, "number": post.number})
        reindex(thread, [post])
        _after_commit(post)
        return post

    return _once(viewer, submission_key, write)


def edit_post(viewer, post, *, source, title=None):
    """The author rewrites their post (and, for an opening post, the thread's title); the old text is kept."""
    _require(may_edit(viewer, post), _("Only its author may change this message."))
    source = check_text(source)
    thread = post.thread
    if title is not None and post.is_opening:
        title = check_title(title)
    with transaction.atomic():
        if source == post.source and (title is None or title == thread.title):
            return post
        html, mentioned = _render(thread.space, source, viewer.user)
        already = set(post.mentions.values_list("user_id", flat=True))
        new_mentions = [u for u in mentioned if u.pk not in already]
        check_rate(viewer, mentions=len(new_mentions)) if new_mentions else None
        PostRevision.objects.create(
            post=post, source=post.source, html=post.html, written_at=post.edited_at or post.created_at,
            replaced_by=viewer.user,
        )
        post.source, post.html, post.edited_at = source, html, timezone.now()
        post.save(update_fields=["source", "html", "edited_at"])
        Mention.objects.bulk_create([Mention(post=post, user=u) for u in new_mentions])
        if title is not None and post.is_opening and title != thread.title:
            thread.title = title
            thread.save(update_fields=["title"])
        log(thread, "cercle.discussions.edit", user=viewer.user, data={"post": post.pk, "number": post.number})
        reindex(thread, [post])
        if new_mentions:
            _after_commit(post)
    return post


def delete_post(viewer, post):
    """The author withdraws their post: it stays in the thread as "message supprimé", its text kept out of
    every page, search result and e-mail (moderators and staff keep the history in the revisions)."""
    _require(may_edit(viewer, post), _("Only its author may delete this message."))
    thread = post.thread
    with transaction.atomic():
        post.deleted_at = timezone.now()
        post.save(update_fields=["deleted_at"])
        # Asked of the database, not of this copy of the thread, which may be older than the solution.
        if Thread.objects.filter(pk=thread.pk, solution=post).update(solution=None):
            thread.solution = None
        log(thread, "cercle.discussions.delete", user=viewer.user, data={"post": post.pk, "number": post.number})
        reindex(thread, [post])
    return post


def mark_solution(viewer, post):
    """This reply solved the question: it is shown first under it, and its author is told."""
    thread = post.thread
    _require(may_mark_solution(viewer, thread), _("Only the question's author or a moderator marks its solution."))
    _require(not post.is_opening and post.is_shown, _("Only a reply can be the solution."), 400)
    with transaction.atomic():
        thread.solution = post
        thread.save(update_fields=["solution"])
        log(thread, "cercle.discussions.solve", user=viewer.user, data={"post": post.pk, "number": post.number})
        reindex(thread)
        from .tasks import notify_solution

        transaction.on_commit(lambda: notify_solution.enqueue(post_id=post.pk, by_id=viewer.user.pk))
    return thread


def unmark_solution(viewer, thread):
    _require(may_mark_solution(viewer, thread), _("Only the question's author or a moderator marks its solution."))
    with transaction.atomic():
        thread.solution = None
        thread.save(update_fields=["solution"])
        log(thread, "cercle.discussions.unsolve", user=viewer.user, data={})
        reindex(thread)
    return thread


# --- Following ----------------------------------------------------------------------------------------


def follow(viewer, *, thread=None, space=None):
    target_space = thread.space if thread is not None else space
    _require(may_read(viewer, target_space), _("You cannot follow what you may not read."), 404)
    Follow.objects.get_or_create(user=viewer.user, thread=thread, space=space if thread is None else None)


def unfollow(user, *, thread=None, space=None):
    """Anyone may stop following, even after losing access: it only removes their own row."""
    if thread is not None:
        Follow.objects.filter(user=user, thread=thread).delete()
    else:
        Follow.objects.filter(user=user, space=space).delete()
