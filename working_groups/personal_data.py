"""What the working groups hold about a person, for "Mes données" and anonymisation (members/personal_data.py).

Group memberships, clusters of interest and meetings attended stay when a person is anonymised (the
groups' counts and the notes' attendance hold); a request to join that no lead answered goes, and the
search documents of the notes that listed the person by name are written again.
"""

from django.utils.translation import gettext_lazy as _

from members.personal_data import PersonalData, register_personal_data

from .models import ClusterInterest, GroupMembership, MeetingNotePage


def export_group_memberships(user):
    memberships = GroupMembership.objects.filter(user=user).select_related("group").order_by("joined_at", "pk")
    return [
        {
            "group": m.group.title,
            "kind": m.group.kind,
            "role": m.role,
            "state": m.state,
            "joined_at": m.joined_at,
        }
        for m in memberships
    ]


def export_cluster_interests(user):
    interests = ClusterInterest.objects.filter(profile__user=user).select_related("cluster").order_by("cluster__title")
    return [{"cluster": i.cluster.title} for i in interests]


def export_meeting_attendance(user):
    notes = list(
        MeetingNotePage.objects.filter(attendees=user)
        .order_by("meeting_date", "pk")
        .only("title", "meeting_date", "path")
    )
    # The groups are the notes' parents: one query for all of them.
    parent_paths = {note.path[: -MeetingNotePage.steplen] for note in notes}
    from wagtail.models import Page

    groups = dict(Page.objects.filter(path__in=parent_paths).values_list("path", "title")) if notes else {}
    return [
        {
            "group": groups.get(note.path[: -MeetingNotePage.steplen], ""),
            "meeting": note.title,
            "meeting_date": note.meeting_date,
        }
        for note in notes
    ]


def anonymise(user):
    GroupMembership.objects.filter(user=user, state=GroupMembership.State.REQUESTED).delete()
    note_ids = list(MeetingNotePage.objects.filter(attendees=user).values_list("pk", flat=True))
    if note_ids:
        from search import index

        index.update_pages(note_ids)  # their text named the person among the attendees


def register():
    register_personal_data(
        PersonalData(
            "group_memberships",
            _("Working groups and clusters joined"),
            export_group_memberships,
            anonymise=anonymise,
            columns=("group", "kind", "role", "state", "joined_at"),
        )
    )
    register_personal_data(
        PersonalData("cluster_interests", _("Clusters of interest"), export_cluster_interests, columns=("cluster",))
    )
    register_personal_data(
        PersonalData(
            "meeting_attendance",
            _("Meetings attended (meeting notes)"),
            export_meeting_attendance,
            columns=("group", "meeting", "meeting_date"),
        )
    )
