"""The editors' sources and curation inbox in the Wagtail admin (built out by the sources work)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from .models import InboxItem, WatchSource


class SourceViewSet(ModelViewSet):
    model = WatchSource
    icon = "link-external"
    menu_label = _("Sources")
    url_prefix = "veille/sources"
    name = "watch_sources"
    list_display = ["name", "feed_url", "status", "last_polled_at"]
    form_fields = ["name", "feed_url", "default_topics", "active"]


class InboxViewSet(ModelViewSet):
    model = InboxItem
    icon = "tray-from"
    menu_label = _("Inbox")
    url_prefix = "veille/boite"
    name = "watch_inbox"
    list_display = ["title", "source", "published_at", "state"]
    form_fields = ["state"]
