"""The discussions in Wagtail: their audit-log actions (every write and every moderation act is logged)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

LOG_ACTIONS = [
    ("cercle.discussions.start", _("Thread started")),
    ("cercle.discussions.reply", _("Reply posted")),
    ("cercle.discussions.edit", _("Message modified")),
    ("cercle.discussions.delete", _("Message deleted by its author")),
    ("cercle.discussions.solve", _("Solution marked")),
    ("cercle.discussions.unsolve", _("Solution unmarked")),
    ("cercle.discussions.pin", _("Thread pinned")),
    ("cercle.discussions.unpin", _("Thread unpinned")),
    ("cercle.discussions.lock", _("Thread locked")),
    ("cercle.discussions.unlock", _("Thread unlocked")),
    ("cercle.discussions.move", _("Thread moved to another space")),
    ("cercle.discussions.hide", _("Message hidden by a moderator")),
    ("cercle.discussions.unhide", _("Message shown again by a moderator")),
    ("cercle.discussions.report", _("Message reported")),
    ("cercle.discussions.report_handled", _("Report handled")),
]


@hooks.register("register_log_actions")
def register_discussion_actions(actions):
    for action, label in LOG_ACTIONS:
        actions.register_action(action, label, label)


@hooks.register("register_admin_viewset")
def register_space_viewset():
    from .admin_spaces import SpaceViewSet

    return SpaceViewSet()


# Hooks registered in their own modules, which Wagtail would not import by itself.
from . import admin_menu, dashboard  # noqa: E402, F401
