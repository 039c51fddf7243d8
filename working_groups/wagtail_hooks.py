from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from members.dashboard import DASHBOARD_PANELS_HOOK, Panel

# The admin names no private page or document to those who may not know it (registers its own hooks).
from . import admin_privacy  # noqa: F401

GROUP_ACTIONS = [
    ("cercle.group.join", _("Joined the group")),
    ("cercle.group.request", _("Asked to join the group")),
    ("cercle.group.approve", _("Request to join approved")),
    ("cercle.group.decline", _("Request to join declined")),
    ("cercle.group.add", _("Member added by a lead")),
    ("cercle.group.role", _("Group role changed")),
    ("cercle.group.remove", _("Member removed from the group")),
    ("cercle.group.leave", _("Left the group")),
]


@hooks.register("register_log_actions")
def register_group_actions(actions):
    for action, label in GROUP_ACTIONS:
        actions.register_action(action, label, label)


def _group_page_is_staffs(request, page):
    """A group's own page (not its notes) is created, moved and removed by staff only: its leads'
    rights on the subtree are for the notes they publish."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from members.access import Viewer

    from .models import WorkingGroupPage

    if not isinstance(page.specific_deferred, WorkingGroupPage) or Viewer.for_request(request).is_staff:
        return None
    messages.error(request, _("Only the club's staff may move, unpublish or delete a group's page."))
    return redirect("wagtailadmin_explore", page.pk)


@hooks.register("before_delete_page")
def keep_group_page_on_delete(request, page):
    return _group_page_is_staffs(request, page)


@hooks.register("before_unpublish_page")
def keep_group_page_on_unpublish(request, page):
    return _group_page_is_staffs(request, page)


@hooks.register("before_move_page")
def keep_group_page_on_move(request, page, destination):
    return _group_page_is_staffs(request, page)


@hooks.register(DASHBOARD_PANELS_HOOK)
def my_groups_panel():
    from .dashboard import my_groups

    # The groups and their notes follow from the viewer's groups, which their kind names, except for staff,
    # who share one kind whatever groups they are in. The order by last activity may lag a reply by the
    # page cache's lifetime; a publication renews it at once.
    return Panel(
        "my_groups",
        "working_groups/panels/my_groups.html",
        my_groups,
        order=10,
        per_kind=lambda viewer: not viewer.is_staff,
    )


@hooks.register("construct_homepage_panels")
def join_requests_panel(request, panels):
    from .admin_dashboard import JoinRequestsPanel

    panel = JoinRequestsPanel.for_request(request)
    if panel is not None:
        panels.append(panel)
