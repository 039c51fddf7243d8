"""The leads' count on the Wagtail dashboard: requests to join their groups that wait for an answer."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from members.access import Viewer

from .models import GroupMembership, WorkingGroupPage


def groups_answered_by(viewer):
    """The groups whose requests this person answers: those they lead, and for the club's staff also
    the groups left without a lead (services.join asks the staff then)."""
    groups = Q(pk__in=viewer.led_group_ids)
    if viewer.is_staff:
        active_leads = Count("memberships", filter=Q(memberships__role="lead", memberships__state="active"))
        leaderless = WorkingGroupPage.objects.annotate(leads=active_leads).filter(leads=0)
        groups |= Q(pk__in=leaderless.values("pk"))
    return WorkingGroupPage.objects.filter(groups)


class JoinRequestsPanel(Component):
    name = "cercle_join_requests"
    template_name = "working_groups/admin/home/join_requests.html"
    order = 95

    def __init__(self, groups):
        self.groups = groups

    @classmethod
    def for_request(cls, request):
        viewer = Viewer.for_request(request)
        if not (viewer.led_group_ids or viewer.is_staff):
            return None
        waiting = Count("memberships", filter=Q(memberships__state=GroupMembership.State.REQUESTED))
        groups = [
            {
                "title": group.title,
                "count": group.waiting,
                "url": reverse("working_groups:members", args=[group.pk]),
            }
            for group in groups_answered_by(viewer).annotate(waiting=waiting).filter(waiting__gt=0).order_by("title")
        ]
        if not groups and not viewer.led_group_ids:
            return None  # staff with nothing to answer: no empty panel
        return cls(groups)

    def get_context_data(self, parent_context=None):
        return {"groups": self.groups, "heading": _("Requests to join your groups")}
