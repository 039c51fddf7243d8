"""The moderators' entry in the Wagtail admin: "Signalements", with the number of reports waiting, for the
club's staff and the leads of a group that has a discussion space. It leads to the reports' queue
(discussions:reports), the same page as on the site; nobody else sees it."""

from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem

from members.access import Viewer


def _moderation_state(request):
    """(moderates a space, open reports), asked once per request: the menu asks twice."""
    state = getattr(request, "_cercle_moderation_menu", None)
    if state is None:
        from .moderation import moderates_any, open_report_count

        viewer = Viewer.for_request(request)
        moderates = moderates_any(viewer)
        state = (moderates, open_report_count(viewer) if moderates else 0)
        request._cercle_moderation_menu = state
    return state


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return _moderation_state(request)[0]

    def render_component(self, request):
        # The instance is shared by every request: the count goes into this request's component only.
        count = _moderation_state(request)[1]
        label = _("Discussion reports (%(count)s)") % {"count": count} if count else str(self.label)
        return LinkMenuItem(
            self.name, label, reverse("discussions:reports"), icon_name=self.icon_name, attrs=self.attrs
        )


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return ReportsMenuItem(
        gettext_lazy("Discussion reports"),
        reverse_lazy("discussions:reports"),
        name="discussion-reports",
        icon_name="warning",
        order=450,
    )
