"""Moderation of the discussions: pin, lock, move a thread, hide a post, and the members' reports.

A group's leads moderate their group's space, the club's staff every space (members.access.may_moderate,
asked through discussions.services.may_moderate). Each act is one transaction with its entry in Wagtail's
audit log; e-mails and the notified author are told after the commit. A refusal is a `DiscussionError`:
404 to whoever may not even read the space (its existence is not revealed), 403 to a reader who may not
moderate it."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from members import access
from members.services import absolute_url, club_staff, person_name
from members.tasks import send_email

from . import markup, services
from .models import Follow, Post, Report, Space, Thread
from .services import DiscussionError

REASON_MAX_LENGTH = 500
MESSAGE_MAX_LENGTH = 2000


# --- Who moderates what ---------------------------------------------------------------------------------


def check_moderator(viewer, space):
    """Refuse (404, or 403 to a reader) whoever may not moderate `space`."""
    if not services.may_read(viewer, space):
        raise DiscussionError(_("This discussion does not exist or is not open to you."), 404)
    if not services.may_moderate(viewer, space):
        raise DiscussionError(_("Only the leads of this group and the club's staff moderate this space."), 403)


def moderated_spaces(viewer):
    """The spaces this viewer moderates: every open space for staff, their groups' spaces for a lead."""
    if not viewer.is_authenticated:
        return Space.objects.none()
    spaces = Space.objects.readable_by(viewer)
    if viewer.is_staff:
        return spaces
    led = viewer.led_group_ids
    if not led:
        return Space.objects.none()
    return spaces.filter(group_id__in=led)


def moderates_any(viewer):
    return viewer.is_authenticated and (viewer.is_staff or moderated_spaces(viewer).exists())


def report_queue(viewer, state=Report.State.OPEN):
    """Reports in the spaces this viewer moderates, newest first."""
    return (
        Report.objects.filter(state=state, post__thread__space__in=moderated_spaces(viewer))
        .select_related(
            "post", "post__author", "post__author__profile", "post__thread", "post__thread__space",
            "reporter", "reporter__profile", "handled_by", "handled_by__profile",
        )
        .order_by("-created_at", "-pk")
    )


def open_report_count(viewer):
    return report_queue(viewer).count() if moderates_any(viewer) else 0


# --- Pin and lock ---------------------------------------------------------------------------------------


def _set_flag(viewer, thread, field, value, action):
    check_moderator(viewer, thread.space)
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        if getattr(locked, field) == value:  # done already (another tab, another moderator): nothing to log
            setattr(thread, field, value)
            return thread
        Thread.objects.filter(pk=thread.pk).update(**{field: value})
        setattr(thread, field, value)
        log(thread, f"cercle.discussions.{action}", user=viewer.user, data={"thread": thread.pk})
    return thread


def pin(viewer, thread):
    return _set_flag(viewer, thread, "pinned", True, "pin")


def unpin(viewer, thread):
    return _set_flag(viewer, thread, "pinned", False, "unpin")


def lock(viewer, thread):
    return _set_flag(viewer, thread, "locked", True, "lock")


def unlock(viewer, thread):
    return _set_flag(viewer, thread, "locked", False, "unlock")


THREAD_ACTIONS = {"pin": pin, "unpin": unpin, "lock": lock, "unlock": unlock}


# --- Moving a thread ------------------------------------------------------------------------------------


def move_targets(viewer, thread):
    """The spaces this viewer may move `thread` to: those they moderate, but its own."""
    return moderated_spaces(viewer).exclude(pk=thread.space_id)


def space_collection(space):
    """The document collection of a space's attachments (discussions.attachments keeps them there)."""
    from .attachments import space_collection as collection_of

    return collection_of(space)


def _move_attachments(thread, source, target):
    """The thread's documents follow it into the target space's collection, so that they are read by the
    target's audience (a document left in a club-wide collection would stay downloadable by every member)."""
    from wagtail.documents import get_document_model

    Document = get_document_model()
    documents = Document.objects.filter(
        pk__in=Post.attachments.through.objects.filter(post__thread=thread).values("document_id")
    )
    if not documents.exists():
        return []
    source_collection, target_collection = space_collection(source), space_collection(target)
    # Only the files of the source space's collection: a document attached from elsewhere keeps its place.
    moved = list(documents.filter(collection=source_collection).exclude(collection=target_collection))
    for document in moved:
        document.collection = target_collection
        document.save(update_fields=["collection"])
    return moved


def move(viewer, thread, to_space):
    """Move a thread, its posts and their attachments to another space; both must be the viewer's to
    moderate (a lead moves only between their groups' spaces, the staff anywhere)."""
    source = thread.space
    check_moderator(viewer, source)
    check_moderator(viewer, to_space)
    if to_space.pk == source.pk:
        raise DiscussionError(_("The thread is already in this space."), 400)
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        if locked.space_id != source.pk:
            raise DiscussionError(_("This thread has just been moved by someone else."), 409)
        posts = locked.post_count
        Space.objects.filter(pk=source.pk).update(
            thread_count=Greatest(F("thread_count") - 1, 0), post_count=Greatest(F("post_count") - posts, 0)
        )
        Space.objects.filter(pk=to_space.pk).update(
            thread_count=F("thread_count") + 1, post_count=F("post_count") + posts
        )
        if to_space.last_activity_at is None or to_space.last_activity_at < locked.last_activity_at:
            Space.objects.filter(pk=to_space.pk).update(last_activity_at=locked.last_activity_at)
        Thread.objects.filter(pk=thread.pk).update(space=to_space)
        thread.space = to_space
        # Followers of the thread who may not read its new space stop following it: it must tell them nothing.
        for follow in Follow.objects.filter(thread=thread).select_related("user"):
            if not services.may_read(access.Viewer(follow.user), to_space):
                follow.delete()
        moved = _move_attachments(thread, source, to_space)
        log(
            thread,
            "cercle.discussions.move",
            user=viewer.user,
            data={"thread": thread.pk, "from": source.pk, "to": to_space.pk, "documents": [d.pk for d in moved]},
        )
        from .search import reindex_thread

        reindex_thread(thread)
        if moved:
            from search import index

            for document in moved:
                index.update(document)
    for space in (source, to_space):
        space.refresh_from_db(fields=["thread_count", "post_count", "last_activity_at"])
    return thread


# --- Hiding a post --------------------------------------------------------------------------------------


def clean_reason(reason):
    reason = " ".join((reason or "").replace("\x00", "").split())
    if not reason:
        raise DiscussionError(_("Say why the message is hidden: its author will be told."), 400)
    if len(reason) > REASON_MAX_LENGTH:
        raise DiscussionError(
            _("A reason holds at most %(limit)s characters.") % {"limit": REASON_MAX_LENGTH}, 400
        )
    return reason


def hide(viewer, post, reason):
    """Hide a post's words, with the reason its author is told; an opening post keeps its thread."""
    thread = post.thread
    check_moderator(viewer, thread.space)
    reason = clean_reason(reason)
    with transaction.atomic():
        current = Post.objects.select_for_update().get(pk=post.pk)
        if current.is_hidden:
            raise DiscussionError(_("This message is already hidden."), 409)
        if current.is_deleted:
            raise DiscussionError(_("This message was deleted by its author: there is nothing to hide."), 409)
        post.hidden_at, post.hidden_by, post.hidden_reason = timezone.now(), viewer.user, reason
        post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        if thread.solution_id == post.pk:
            Thread.objects.filter(pk=thread.pk).update(solution=None)
            thread.solution = None
        log(
            thread,
            "cercle.discussions.hide",
            user=viewer.user,
            data={"thread": thread.pk, "post": post.pk, "number": post.number, "reason": reason},
        )
        services.reindex(thread, [post])
        from .tasks import notify_hidden

        transaction.on_commit(lambda: notify_hidden.enqueue(post_id=post.pk))
    return post


def unhide(viewer, post):
    thread = post.thread
    check_moderator(viewer, thread.space)
    with transaction.atomic():
        current = Post.objects.select_for_update().get(pk=post.pk)
        if not current.is_hidden:
            raise DiscussionError(_("This message is not hidden."), 409)
        post.hidden_at, post.hidden_by, post.hidden_reason = None, None, ""
        post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        log(
            thread,
            "cercle.discussions.unhide",
            user=viewer.user,
            data={"thread": thread.pk, "post": post.pk, "number": post.number},
        )
        services.reindex(thread, [post])
    return post


# --- Reports --------------------------------------------------------------------------------------------


def may_report(viewer, post):
    """Whoever reads a post may report it, except its author; a hidden or deleted post is gone already."""
    return (
        viewer.is_authenticated
        and post.author_id != viewer.user.pk
        and post.is_shown
        and services.may_read(viewer, post.thread.space)
    )


def space_moderators(space):
    """Who is told of a report: the group's active leads and the club's staff, each of whom may read the space."""
    from working_groups.models import GroupMembership

    people = {}
    if space.group_id is not None:
        leads = get_user_model().objects.filter(
            is_active=True,
            pk__in=GroupMembership.objects.filter(
                group_id=space.group_id, role=GroupMembership.Role.LEAD, state=GroupMembership.State.ACTIVE
            ).values("user_id"),
        ).exclude(email="")
        people.update({user.pk: user for user in leads})
    people.update({user.pk: user for user in club_staff()})
    return [user for user in people.values() if services.may_read(access.Viewer(user), space)]


def report(viewer, post, reason, message=""):
    """A reader reports a post to its space's moderators. Reporting it again while the first report is
    open updates that report. Returns (report, created)."""
    thread = post.thread
    if not viewer.is_authenticated or not services.may_read(viewer, thread.space):
        raise DiscussionError(_("This discussion does not exist or is not open to you."), 404)
    if post.author_id == viewer.user.pk:
        raise DiscussionError(_("You cannot report your own message: edit or delete it instead."), 400)
    if not post.is_shown:
        raise DiscussionError(_("This message is no longer shown: there is nothing to report."), 409)
    if reason not in Report.Reason.values:
        raise DiscussionError(_("Choose why you report this message."), 400)
    message = (message or "").replace("\x00", "").strip()
    if len(message) > MESSAGE_MAX_LENGTH:
        raise DiscussionError(
            _("A message to the moderators holds at most %(limit)s characters; this one has %(count)s.")
            % {"limit": MESSAGE_MAX_LENGTH, "count": len(message)},
            413,
        )
    with transaction.atomic():
        existing = (
            Report.objects.select_for_update()
            .filter(post=post, reporter=viewer.user, state=Report.State.OPEN)
            .first()
        )
        if existing is not None:
            existing.reason, existing.message = reason, message
            existing.save(update_fields=["reason", "message"])
            the_report, created = existing, False
        else:
            the_report = Report.objects.create(post=post, reporter=viewer.user, reason=reason, message=message)
            created = True
        log(
            thread,
            "cercle.discussions.report",
            user=viewer.user,
            data={
                "thread": thread.pk, "post": post.pk, "report": the_report.pk, "reason": reason, "updated": not created,
            },
        )
        if created:
            transaction.on_commit(lambda: _tell_moderators(the_report))
    return the_report, created


def _tell_moderators(the_report):
    post = the_report.post
    thread = post.thread
    space = thread.space
    recipients = [user.email for user in space_moderators(space) if user.pk != the_report.reporter_id and user.email]
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "space": space.title,
            "thread": thread.title,
            "number": post.number,
            "author": person_name(post.author) if post.author else _("a former member"),
            "reporter": person_name(the_report.reporter) if the_report.reporter else _("a former member"),
            "reason": the_report.get_reason_display(),
            "message": the_report.message,
            "excerpt": markup.excerpt(post.html, 600),
            "post_url": absolute_url(post.get_absolute_url()),
            "reports_url": absolute_url(reverse("discussions:reports")),
        }
        subject = _("Message reported in %(space)s: %(reason)s") % {"space": space.title, "reason": context["reason"]}
        text = render_to_string("discussions/email/report_moderators.txt", context)
    send_email.enqueue(subject=subject, to=recipients, text=text)


HANDLE_ACTIONS = ("dismiss", "hide")


def handle_report(viewer, the_report, action, reason=""):
    """A moderator closes a report: dismissed, or the post hidden (every open report of it is then closed)."""
    post = the_report.post
    thread = post.thread
    check_moderator(viewer, thread.space)
    if action not in HANDLE_ACTIONS:
        raise DiscussionError(_("This action is not understood. Nothing has been changed."), 400)
    if action == "hide" and not post.is_hidden:
        reason = clean_reason(reason)
    with transaction.atomic():
        current = Report.objects.select_for_update().get(pk=the_report.pk)
        if current.state != Report.State.OPEN:
            raise DiscussionError(_("This report has already been handled."), 409)
        now = timezone.now()
        closing = Report.objects.filter(pk=the_report.pk)
        if action == "hide":
            if not post.is_hidden and not post.is_deleted:
                hide(viewer, post, reason)
            closing = Report.objects.filter(Q(pk=the_report.pk) | Q(post=post, state=Report.State.OPEN))
        handled = list(closing.values_list("pk", flat=True))
        closing.update(state=Report.State.HANDLED, handled_at=now, handled_by=viewer.user)
        the_report.state, the_report.handled_at, the_report.handled_by = Report.State.HANDLED, now, viewer.user
        log(
            thread,
            "cercle.discussions.report_handled",
            user=viewer.user,
            data={"thread": thread.pk, "post": post.pk, "report": the_report.pk, "action": action, "reports": handled},
        )
    return the_report
