"""What a member has not read yet: a thread is unread when it moved (a post) after the member's last full
read of it, and after the member first came to the discussions (older threads are not news to them)."""

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from .models import Reader, Thread, ThreadRead


def reader_for(user):
    """The member's Reader row, made on their first visit to the discussions."""
    reader = Reader.objects.filter(user=user).first()
    if reader is None:
        try:
            with transaction.atomic():
                reader = Reader.objects.create(user=user)
        except IntegrityError:
            reader = Reader.objects.get(user=user)
    return reader


def _authenticated(viewer):
    return viewer is not None and viewer.is_authenticated


def mark_read(user, thread, number):
    """The member has seen the thread's posts up to `number`; never moves backwards. The thread counts as
    read once its last post was seen."""
    now = timezone.now()
    complete = number >= thread.post_count
    mark = ThreadRead.objects.filter(user=user, thread=thread).first()
    if mark is None:
        try:
            with transaction.atomic():
                ThreadRead.objects.create(
                    user=user,
                    thread=thread,
                    last_number=number,
                    # A partial first read stays older than the thread's last activity: still unread.
                    read_at=max(now, thread.last_activity_at) if complete else thread.created_at,
                )
            return
        except IntegrityError:
            mark = ThreadRead.objects.get(user=user, thread=thread)
    changes = {}
    if number > mark.last_number:
        changes["last_number"] = number
    if complete and mark.read_at < thread.last_activity_at:
        changes["read_at"] = max(now, thread.last_activity_at)
    if changes:
        ThreadRead.objects.filter(pk=mark.pk).update(**changes)


def _unread_threads(user, started_at):
    later_read = ThreadRead.objects.filter(user=user, thread=OuterRef("pk"), read_at__gte=OuterRef("last_activity_at"))
    return Thread.objects.filter(last_activity_at__gt=started_at).exclude(Exists(later_read))


def unread_counts(viewer, spaces):
    """{space id: number of unread threads} for these spaces, in one query (after the Reader's)."""
    if not _authenticated(viewer):
        return {}
    reader = reader_for(viewer.user)
    ids = [space.pk for space in spaces]
    if not ids:
        return {}
    rows = (
        _unread_threads(viewer.user, reader.started_at)
        .filter(space_id__in=ids)
        .order_by()
        .values("space_id")
        .annotate(n=Count("pk"))
    )
    return {row["space_id"]: row["n"] for row in rows}


def unread_thread_ids(viewer, threads):
    """The ids of those threads the viewer has not read since their last activity."""
    if not _authenticated(viewer):
        return set()
    threads = list(threads)
    if not threads:
        return set()
    reader = reader_for(viewer.user)
    marks = ThreadRead.objects.filter(user=viewer.user, thread__in=[t.pk for t in threads])
    read = dict(marks.values_list("thread_id", "read_at"))
    return {
        t.pk
        for t in threads
        if t.last_activity_at > reader.started_at and (t.pk not in read or read[t.pk] < t.last_activity_at)
    }
