"""The member dashboard's "technology watch" panel: the latest articles, teasers for basic members."""

from django.utils.translation import gettext_lazy as _

from .listing import mark_readable, watch_cards
from .models import TechWatchIndexPage

PANEL_SIZE = 4


def latest_watch(request, viewer):
    if not viewer.is_member:
        return None
    articles = mark_readable(viewer, list(watch_cards(viewer)[:PANEL_SIZE]))
    if not articles:
        return None
    index = TechWatchIndexPage.objects.live().only("pk", "url_path").first()
    return {"title": _("Technology watch"), "articles": articles, "index": index}
