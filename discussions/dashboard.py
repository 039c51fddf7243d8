"""The dashboard panel "Quoi de neuf dans vos espaces": the latest activity in the member's spaces.

The member's spaces are those of the groups they belong to, the club-wide ones and the spaces they follow;
the panel lists their threads by latest activity, with the latest meeting notes of the member's groups,
merged by date. Everything goes through the policy in SQL (Thread.objects.readable_by, filter_pages), so a
private group's threads never reach an outsider, and the panel costs the same few queries whatever the
number of threads, notes or groups.

"Nouveau depuis votre dernière visite" compares each item with the member's previous dashboard visit
(`Reader.previous_seen_at`). A visit moves it only when the last one is older than VISIT_GAP, so that
reloading the dashboard does not wipe the markers at once.
"""

import dataclasses
import datetime

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Left, Length
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from members.access import filter_pages
from members.dashboard import DASHBOARD_PANELS_HOOK, Panel
from members.services import person_name

from .models import Follow, Reader, Thread

SHOWN = 10
VISIT_GAP = datetime.timedelta(minutes=30)


@dataclasses.dataclass
class Item:
    kind: str  # "thread" | "note"
    title: str
    url: str
    where: str
    when: datetime.datetime
    who: str = ""
    replies: int = 0
    obj: object = None
    is_new: bool = False


def _with_visit(queryset, user):
    """Each row brings the member's visit marks along (their Reader row), to save the dashboard a query."""
    reader = Reader.objects.filter(user=user)
    return queryset.annotate(
        reader_seen_at=Subquery(reader.values("seen_at")[:1]),
        reader_previous_seen_at=Subquery(reader.values("previous_seen_at")[:1]),
    )


def previous_visit(user, rows, now=None):
    """The member's previous dashboard visit (None on the first), moving the visit marks if due.

    `rows` are the listed threads or notes, which carry the marks (None: no Reader row yet). With nothing
    listed there is nothing to mark, and the visit is not recorded: whatever appears later is newer than
    it anyway, and an empty dashboard costs no query for it."""
    now = now or timezone.now()
    cutoff = now - VISIT_GAP
    if not rows:
        return None
    seen_at, previous_seen_at = rows[0].reader_seen_at, rows[0].reader_previous_seen_at
    if seen_at is None:
        Reader.objects.bulk_create([Reader(user=user, started_at=now, seen_at=now)], ignore_conflicts=True)
        return None
    if seen_at < cutoff:
        Reader.objects.filter(user=user).update(previous_seen_at=seen_at, seen_at=now)
        return seen_at
    return previous_seen_at


def latest_threads(viewer, limit=SHOWN):
    """The threads of the member's spaces (their groups', the club-wide ones, those they follow) the policy
    lets them read, latest activity first: one query, which brings the member's visit marks along."""
    user = viewer.user
    mine = (
        Q(space__group__isnull=True)
        | Q(space__group_id__in=list(viewer.group_ids))
        | Exists(Follow.objects.filter(user=user, space=OuterRef("space_id")))
        | Exists(Follow.objects.filter(user=user, thread=OuterRef("pk")))
    )
    return list(
        _with_visit(Thread.objects.readable_by(viewer), user)
        .filter(mine)
        .select_related("space", "last_author__profile")
        .only(
            "pk", "title", "last_activity_at", "post_count", "space__title", "space__slug",
            "last_author__first_name", "last_author__last_name", "last_author__username",
            "last_author__profile__display_name",
        )
        .order_by("-last_activity_at", "-pk")[:limit]
    )


def latest_notes(viewer, limit=SHOWN):
    """The latest meeting notes of the member's groups they may read: one query (the group's title from a
    subquery on the note's parent path)."""
    if not viewer.group_ids:
        return []
    from working_groups.models import MeetingNotePage, WorkingGroupPage

    group_path = Left("path", Length("path") - MeetingNotePage.steplen)
    groups = WorkingGroupPage.objects.filter(pk__in=list(viewer.group_ids))
    notes = _with_visit(
        filter_pages(viewer, MeetingNotePage.objects.live(), need="read")
        .annotate(group_path=group_path)
        .filter(group_path__in=groups.values("path"))
        .annotate(group_title=Subquery(WorkingGroupPage.objects.filter(path=OuterRef("group_path")).values("title")[:1]))
        .exclude(first_published_at=None)
        .only("pk", "title", "url_path", "path", "depth", "first_published_at", "locale_id", "content_type_id")
        .order_by(F("first_published_at").desc(), "-pk"),
        viewer.user,
    )
    return list(notes[:limit])


def whats_new(request, viewer):
    """The panel's context, or None for visitors and lapsed members."""
    if not viewer.is_authenticated or not (viewer.is_member or viewer.is_staff):
        return None
    threads, notes = latest_threads(viewer), latest_notes(viewer)
    since = previous_visit(viewer.user, threads or notes)
    items = [
        Item(
            kind="thread",
            title=thread.title,
            url=thread.get_absolute_url(),
            where=thread.space.title,
            when=thread.last_activity_at,
            who=person_name(thread.last_author) if thread.last_author_id else "",
            replies=thread.reply_count,
            obj=thread,
        )
        for thread in threads
    ]
    items += [
        Item(kind="note", title=note.title, url="", where=note.group_title, when=note.first_published_at, obj=note)
        for note in notes
    ]
    items.sort(key=lambda item: item.when, reverse=True)
    items = items[:SHOWN]
    for item in items:
        item.is_new = since is not None and item.when > since
    return {
        "title": _("What's new in your spaces"),
        "items": items,
        "new_count": sum(item.is_new for item in items),
        "since": since,
    }


@hooks.register(DASHBOARD_PANELS_HOOK)
def whats_new_panel():
    return Panel("discussions_whats_new", "discussions/panels/whats_new.html", whats_new, order=12)
