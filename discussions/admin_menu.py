"""The moderators' entry in the Wagtail admin: "Signalements", for the club's staff and the groups' leads.
It leads to the reports' queue (discussions:reports), the same page as on the site, which shows each of
them the reports of the spaces they moderate; nobody else sees the entry.

Who sees it is a permission both roles hold (members/roles.py: discussions.view_report), which Django has
already loaded for the rest of the admin's menu: the entry costs no query on any admin page. The number of
reports waiting is on the queue itself, not in the menu, for the same reason."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("discussions.view_report")


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return ReportsMenuItem(
        _("Discussion reports"),
        reverse_lazy("discussions:reports"),
        name="discussion-reports",
        icon_name="warning",
        order=450,
    )
