"""A group's last activity and member count, kept on its GroupActivity row so that the index reads them
with the groups instead of computing them per group at every view.

The last activity is when one of the group's live notes was last published (as the index always said);
the member count, its active members. Each is recomputed for one group from that group's own rows when
something that changes it happens (working_groups/signals.py): one or two small queries per write.
"""

from django.db.models import Max
from wagtail.models import Page

from .models import GroupActivity, GroupMembership, WorkingGroupPage


def last_activity(group, leaving=None):
    """When a live note of the group was last published; `leaving` is a note about to be deleted."""
    # treebeard's children: a range on the path, which an index answers (a LIKE on SQLite would not).
    notes = Page.objects.filter(depth=group.depth + 1, path__range=Page._get_children_path_interval(group.path))
    if leaving is not None:
        notes = notes.exclude(pk=leaving.pk)
    return notes.filter(live=True).aggregate(latest=Max("last_published_at"))["latest"]


def member_count(group_id):
    return GroupMembership.objects.filter(group_id=group_id, state=GroupMembership.State.ACTIVE).count()


def has_row(group_id):
    return GroupActivity.objects.filter(group_id=group_id).exists()


def refresh(group):
    """Recompute both figures of one group and store them, making its row if it has none."""
    GroupActivity.objects.update_or_create(
        group_id=group.pk,
        defaults={"last_activity_at": last_activity(group), "member_count": member_count(group.pk)},
    )


# The two below update an existing row only: while a group is deleted with its notes and memberships, its
# row may be gone already, and a new one would point at a group about to disappear. Every group gets its
# row when it is first saved (signals.group_saved), and the migration gave one to those before.


def refresh_last_activity(group, leaving=None):
    """After a note went live or left, moved, or before it is deleted."""
    GroupActivity.objects.filter(group_id=group.pk).update(last_activity_at=last_activity(group, leaving))


def refresh_member_count(group_id):
    """After a membership was written or deleted."""
    GroupActivity.objects.filter(group_id=group_id).update(member_count=member_count(group_id))


def group_of(note_path):
    """The group page right above a note (live or not), or None."""
    parent_path = note_path[: -Page.steplen]
    return WorkingGroupPage.objects.filter(path=parent_path).only("pk", "path", "depth").first()
