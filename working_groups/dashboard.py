"""The member dashboard's "my groups" panel: the person's most active groups, each with its latest notes,
and a link to all of them when there are more than the panel shows."""

from functools import reduce
from operator import or_

from django.db.models import F, Q, Window
from django.db.models.functions import Left, Length, RowNumber
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from members.access import filter_pages

from .listing import MINE_PARAMETER
from .models import MeetingNotePage, WorkingGroupIndexPage, WorkingGroupPage

NOTES_PER_GROUP = 3
# The panel shows this many groups, the most active first; the index lists them all ("show all").
GROUPS_SHOWN = 6


def _children_of(groups):
    """A Q keeping the pages right under these groups: a range on the path for each (an index answers it)."""
    return reduce(
        or_,
        (Q(depth=group.depth + 1, path__range=Page._get_children_path_interval(group.path)) for group in groups),
    )


def latest_notes_by_group(viewer, groups, per_group=NOTES_PER_GROUP):
    """{group pk: its latest notes this viewer may read}, for any number of groups in one query.

    A window numbers each group's notes, so that a busy group cannot push the others' notes out of a
    shared "latest 20", and the query stays one however many groups the person belongs to. Only these
    groups' notes are read: the club's other notes are not scanned.
    """
    if not groups:
        return {}
    group_path = Left("path", Length("path") - MeetingNotePage.steplen)  # a note lives right under its group
    notes = (
        filter_pages(viewer, MeetingNotePage.objects.live().filter(_children_of(groups)), need="read")
        .annotate(group_path=group_path)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[group_path],
                order_by=[F("meeting_date").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=per_group)
        .only("title", "url_path", "path", "depth", "locale_id", "meeting_date")
        .order_by("-meeting_date", "-pk")
    )
    by_path = {group.path: [] for group in groups}
    for note in notes:
        by_path[note.group_path].append(note)
    return {group.pk: by_path[group.path] for group in groups}


def groups_index_of(group):
    """The index the group lives in (its parent), with what its link needs."""
    index = WorkingGroupIndexPage.objects.filter(path=group.path[: -Page.steplen], live=True)
    return index.only("url_path", "path", "depth", "locale_id").first()


def my_groups(request, viewer):
    if not viewer.group_ids:
        return None
    groups = list(
        filter_pages(viewer, WorkingGroupPage.objects.live().filter(pk__in=viewer.group_ids))
        .only("title", "url_path", "path", "depth", "locale_id", "visibility")
        .order_by(F("activity__last_activity_at").desc(nulls_last=True), "title", "pk")[: GROUPS_SHOWN + 1]
    )
    if not groups:
        return None
    more = len(groups) > GROUPS_SHOWN
    groups = groups[:GROUPS_SHOWN]
    notes = latest_notes_by_group(viewer, groups)
    return {
        "title": _("My groups"),
        "groups": [(group, notes[group.pk]) for group in groups],
        # Only when the panel leaves some out: the link to the index costs a query for its address.
        "index": groups_index_of(groups[0]) if more else None,
        "mine_parameter": MINE_PARAMETER,
    }
