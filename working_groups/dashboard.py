"""The member dashboard's "my groups" panel, with each group's latest notes."""

from django.db.models import F, Window
from django.db.models.functions import Left, Length, RowNumber
from django.utils.translation import gettext_lazy as _

from members.access import filter_pages

from .models import MeetingNotePage, WorkingGroupPage

NOTES_PER_GROUP = 3


def latest_notes_by_group(viewer, groups, per_group=NOTES_PER_GROUP):
    """{group pk: its latest notes this viewer may read}, for any number of groups in one query.

    A window numbers each group's notes, so that a busy group cannot push the others' notes out of a
    shared "latest 20", and the query stays one however many groups the person belongs to.
    """
    if not groups:
        return {}
    group_path = Left("path", Length("path") - MeetingNotePage.steplen)  # a note lives right under its group
    notes = (
        filter_pages(viewer, MeetingNotePage.objects.live(), need="read")
        .annotate(group_path=group_path)
        .filter(group_path__in=[group.path for group in groups])
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[group_path],
                order_by=[F("meeting_date").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=per_group)
        .order_by("-meeting_date", "-pk")
    )
    by_path = {group.path: [] for group in groups}
    for note in notes:
        by_path[note.group_path].append(note)
    return {group.pk: by_path[group.path] for group in groups}


def my_groups(request, viewer):
    if not viewer.group_ids:
        return None
    groups = list(
        filter_pages(viewer, WorkingGroupPage.objects.live().filter(pk__in=viewer.group_ids)).order_by("title")
    )
    if not groups:
        return None
    notes = latest_notes_by_group(viewer, groups)
    return {"title": _("My groups"), "groups": [(group, notes[group.pk]) for group in groups]}
