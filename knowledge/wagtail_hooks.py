from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from members.dashboard import DASHBOARD_PANELS_HOOK, Panel

from . import admin_sources, reports  # noqa: F401  (they register their own admin hooks)


@hooks.register("register_admin_viewset")
def register_watch_admin():
    from .admin import WatchViewSetGroup

    return WatchViewSetGroup()


DIGEST_ACTIONS = [
    ("cercle.digest.unsubscribe", _("Unsubscribed from the watch digest")),
    ("cercle.digest.subscribe", _("Subscribed again to the watch digest")),
]


@hooks.register("register_log_actions")
def register_digest_actions(actions):
    for action, label in DIGEST_ACTIONS:
        actions.register_action(action, label, label)


@hooks.register(DASHBOARD_PANELS_HOOK)
def techwatch_panel():
    from .dashboard import latest_watch

    return Panel("techwatch", "knowledge/panels/techwatch.html", latest_watch, order=20, per_kind=True)


@hooks.register("construct_homepage_panels")
def editors_work_panel(request, panels):
    from .admin_dashboard import EditorsWorkPanel

    panel = EditorsWorkPanel.for_user(request.user)
    if panel is not None:
        panels.append(panel)
