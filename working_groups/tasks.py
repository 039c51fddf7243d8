"""E-mails to a group's members when a note is published (sent as a task: never in the request)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from members.access import Viewer, can_read
from members.services import absolute_url
from members.tasks import send_email

from .models import GroupMembership, MeetingNotePage


@task()
def notify_note_published(note_id):
    """Title and link only, and only to opted-in members of the group who may read the note.

    The e-mail never carries the note's content: it leaves the club's servers, and the policy is asked
    for each recipient on the day the note is published, not on the day they joined.
    """
    note = MeetingNotePage.objects.live().filter(pk=note_id).first()
    if note is None:
        return 0
    group = note.get_parent().specific
    memberships = GroupMembership.objects.filter(
        group=group,
        state=GroupMembership.State.ACTIVE,
        user__is_active=True,
        user__profile__notify_group_notes=True,
    ).select_related("user")
    sent = 0
    # The club speaks French first; the addresses are built in that language too (no /en/ prefix).
    with translation.override(settings.LANGUAGE_CODE):
        url = note.get_url()
        if url is None:  # reachable on no site: nothing to point to
            return 0
        url = absolute_url(url)
        profile_url = absolute_url(reverse("members:profile"))
        subject = _("New meeting note in %(group)s: %(title)s") % {"group": group.title, "title": note.title}
        for membership in memberships:
            user = membership.user
            if not user.email or not can_read(Viewer(user), note):
                continue
            text = render_to_string(
                "working_groups/email/note_published.txt",
                {"note": note, "group": group, "url": url, "user": user, "profile_url": profile_url},
            )
            send_email.enqueue(subject=subject, to=[user.email], text=text)
            sent += 1
    return sent
