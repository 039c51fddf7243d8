"""Home's own dashboard panel: what is new on the site for this viewer, through the access policy."""

from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from members.access import filter_pages
from members.dashboard import register_panel


def latest_pages(request, viewer):
    pages = filter_pages(viewer, Page.objects.live().filter(depth__gt=2)).order_by("-last_published_at")[:5]
    return {"title": _("Recently published"), "pages": list(pages)}


def register():
    register_panel("latest_pages", "home/panels/latest_pages.html", latest_pages, order=900)
