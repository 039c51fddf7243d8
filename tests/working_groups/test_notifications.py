"""When a meeting note is first published, the group's members who asked for it get an e-mail with its
title and link, never its content, and only if the access policy lets them read the note."""

import pytest
from django.conf import settings
from django.core import mail

from members.models import Profile
from tests.factories.members import make_member
from tests.factories.working_groups import GroupMembershipFactory, MeetingNotePageFactory, make_group
from working_groups.models import MeetingNotePage
from working_groups.tasks import notify_note_published

pytestmark = pytest.mark.django_db

MARKER = "ORDRE-DU-JOUR-SECRET-4412"  # only in the note's agenda


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish a new note in `group` as a lead would in the admin; the e-mails leave after the commit."""

    def publish_note(group, **fields):
        fields.setdefault("agenda", f"<p>{MARKER}</p>")
        note = MeetingNotePageFactory(parent=group, live=False, **fields)
        with django_capture_on_commit_callbacks(execute=True):
            note.save_revision().publish()
        return MeetingNotePage.objects.get(pk=note.pk)

    return publish_note


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_opted_in_members_get_the_title_and_a_link_but_not_the_agenda(groups_index, publish):
    lead, member = make_member(), make_member()
    group = make_group(groups_index, title="Atelier Cloud", leads=[lead], members=[member])

    note = publish(group, title="Réunion de mars sur le cloud souverain")

    assert recipients() == sorted([lead.email, member.email])
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + note.url
    for message in mail.outbox:
        assert len(message.to) == 1  # one e-mail each: members do not see each other's addresses
        assert "Réunion de mars sur le cloud souverain" in message.subject
        assert "Réunion de mars sur le cloud souverain" in message.body
        assert link in message.body
        assert MARKER not in message.subject and MARKER not in message.body
        assert not message.alternatives


def test_members_who_opted_out_get_nothing(groups_index, publish):
    keen, quiet = make_member(), make_member()
    Profile.objects.filter(user=quiet).update(notify_group_notes=False)
    group = make_group(groups_index, members=[keen, quiet])

    publish(group)

    assert recipients() == [keen.email]


def test_a_group_member_whose_club_membership_expired_gets_nothing(groups_index, publish):
    current, lapsed = make_member(), make_member(expired=True)
    group = make_group(groups_index, members=[current, lapsed])

    publish(group)

    assert recipients() == [current.email]


def test_people_outside_the_group_get_nothing(groups_index, publish):
    member, outsider, applicant = make_member(), make_member(), make_member()
    group = make_group(groups_index, join_policy="request", members=[member])
    make_group(groups_index, members=[outsider])  # in another group
    GroupMembershipFactory(group=group, user=applicant, state="requested")

    publish(group)

    assert recipients() == [member.email]


def test_members_of_a_private_group_are_told(groups_index, publish):
    lead, member = make_member(), make_member()
    group = make_group(groups_index, visibility="private", join_policy="invitation", leads=[lead], members=[member])

    publish(group)

    assert recipients() == sorted([lead.email, member.email])


def test_a_basic_member_inside_a_premium_cluster_gets_nothing(groups_index, publish):
    premium, basic = make_member("premium"), make_member("basic")
    cluster = make_group(groups_index, kind="cluster", visibility="premium", leads=[premium], members=[basic])

    publish(cluster)

    assert recipients() == [premium.email]


def test_republishing_a_note_sends_nothing_again(groups_index, publish, django_capture_on_commit_callbacks):
    member = make_member()
    group = make_group(groups_index, members=[member])
    note = publish(group, title="Première version")
    assert recipients() == [member.email]
    mail.outbox.clear()

    note.title = "Version corrigée"  # `note` comes fresh from the database, as the admin's edit view has it
    with django_capture_on_commit_callbacks(execute=True):
        note.save_revision().publish()
    note.unpublish()
    with django_capture_on_commit_callbacks(execute=True):
        MeetingNotePage.objects.get(pk=note.pk).save_revision().publish()

    assert mail.outbox == []


def test_a_note_unpublished_before_the_task_runs_sends_nothing(groups_index):
    group = make_group(groups_index, members=[make_member()])
    note = MeetingNotePageFactory(parent=group, live=False)

    assert notify_note_published.call(note_id=note.pk) == 0
    assert mail.outbox == []
