"""The events' admin: participants and exports for organisers, audit-log actions, the dashboard panel."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from members.dashboard import DASHBOARD_PANELS_HOOK, Panel

REGISTRATION_ACTIONS = [
    ("cercle.event.register", _("Registered for the event")),
    ("cercle.event.wait", _("Joined the event's waiting list")),
    ("cercle.event.promote", _("Moved from the waiting list to a seat")),
    ("cercle.event.cancel", _("Registration cancelled")),
]


@hooks.register("register_log_actions")
def register_registration_actions(actions):
    for action, label in REGISTRATION_ACTIONS:
        actions.register_action(action, label, label)


@hooks.register("register_admin_urls")
def register_attendees_urls():
    from .admin import urlpatterns

    return urlpatterns


class AttendeesMenuItem(PageMenuItem):
    """ "Participants" on an event's page in the admin, for those who may see them."""

    label = _("Participants")
    icon_name = "group"
    priority = 70

    def is_shown(self, user):
        from .admin import may_manage

        return may_manage(user, self.page)

    @property
    def url(self):
        return reverse("events_attendees", args=[self.page.pk])


def _attendees_item(page):
    from .models import EventPage

    specific = page.specific_deferred
    return AttendeesMenuItem(page=specific) if isinstance(specific, EventPage) else None


@hooks.register("register_page_header_buttons")
def attendees_header_button(page, user, view_name, next_url=None):
    item = _attendees_item(page)
    return [item] if item is not None else []


@hooks.register("register_page_listing_more_buttons")
def attendees_listing_button(page, user, next_url=None):
    item = _attendees_item(page)
    return [item] if item is not None else []


@hooks.register(DASHBOARD_PANELS_HOOK)
def my_registrations_panel():
    from .dashboard import my_registrations

    return Panel("my_registrations", "events/panels/my_registrations.html", my_registrations, order=15)
