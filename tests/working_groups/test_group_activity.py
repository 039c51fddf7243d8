"""A group's last activity and member count live on its GroupActivity row (the index reads them with the
groups): every publication, unpublication, move or deletion of a note and every membership change keeps
them true, and the index shows them."""

import datetime

import pytest
from django.utils import timezone

from tests.factories.members import make_member
from tests.factories.working_groups import GroupMembershipFactory, MeetingNotePageFactory, make_group
from working_groups import activity, services
from working_groups.models import GroupActivity

pytestmark = pytest.mark.django_db


def row(group):
    return GroupActivity.objects.get(group=group)


def published_note(group, days_ago):
    note = MeetingNotePageFactory(parent=group, live=False)
    note.save_revision().publish()
    when = timezone.now() - datetime.timedelta(days=days_ago)
    type(note).objects.filter(pk=note.pk).update(last_published_at=when)
    note.refresh_from_db()
    return note


def test_a_new_group_has_its_row_with_no_activity(groups_index):
    group = make_group(groups_index)
    assert (row(group).last_activity_at, row(group).member_count) == (None, 0)


def test_publishing_unpublishing_and_deleting_notes_keep_the_last_activity(groups_index):
    group = make_group(groups_index)
    older = published_note(group, days_ago=10)
    activity.refresh(group)
    assert row(group).last_activity_at == older.last_published_at

    newer = MeetingNotePageFactory(parent=group, live=False)
    newer.save_revision().publish()
    newer.refresh_from_db()
    assert row(group).last_activity_at == newer.last_published_at

    newer.unpublish()
    assert row(group).last_activity_at == older.last_published_at

    older.delete()
    assert row(group).last_activity_at is None


def test_a_draft_saved_does_not_count_as_activity(groups_index):
    group = make_group(groups_index)
    MeetingNotePageFactory(parent=group, live=False).save_revision()
    assert row(group).last_activity_at is None


def test_moving_a_note_to_another_group_moves_its_activity(groups_index):
    first, second = make_group(groups_index), make_group(groups_index)
    note = MeetingNotePageFactory(parent=first, live=False)
    note.save_revision().publish()
    note.refresh_from_db()

    note.move(second, pos="last-child")

    assert row(first).last_activity_at is None
    assert row(second).last_activity_at is not None


def test_memberships_keep_the_count_of_active_members(groups_index):
    group = make_group(groups_index, leads=[make_member()], members=[make_member()])
    assert row(group).member_count == 2
    waiting = GroupMembershipFactory(group=group, user=make_member(), state="requested")
    assert row(group).member_count == 2  # a request is not a member
    waiting.state = "active"
    waiting.save()
    assert row(group).member_count == 3
    services.add_member(group, make_member(), by=make_member())
    assert row(group).member_count == 4
    waiting.delete()
    assert row(group).member_count == 3


def test_deleting_a_group_with_its_notes_and_members_leaves_nothing_behind(groups_index):
    group = make_group(groups_index, members=[make_member()])
    published_note(group, days_ago=1)
    group.delete()
    assert not GroupActivity.objects.exists()


def test_the_index_shows_the_count_and_the_last_activity(client, groups_index):
    member = make_member("premium")
    group = make_group(groups_index, title="Atelier Cloud", leads=[make_member()], members=[member])
    note = MeetingNotePageFactory(parent=group, live=False)
    note.save_revision().publish()
    note.refresh_from_db()
    client.force_login(member)

    card = client.get(groups_index.url).content.decode().split(f'data-testid="group-{group.slug}"')[1]

    assert "2 membres" in card.split("</li>")[0]
    assert f'datetime="{timezone.localtime(note.last_published_at).isoformat()}' in card or (
        f'datetime="{note.last_published_at.isoformat()}' in card
    )
