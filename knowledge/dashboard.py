"""The member dashboard's "technology watch" panel: the latest articles, teasers for basic members."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .listing import mark_readable, watch_cards
from .models import TechWatchIndexPage

PANEL_SIZE = 4
# The newest articles are looked for among these weeks' first, through the index on the source's date: the
# database then reads a few rows instead of sorting the whole watch. A quieter watch is read whole.
RECENT_DAYS = 90


def latest_articles(viewer):
    since = timezone.localdate() - datetime.timedelta(days=RECENT_DAYS)
    articles = list(watch_cards(viewer).filter(source_date__gte=since)[:PANEL_SIZE])
    if len(articles) < PANEL_SIZE:
        articles = list(watch_cards(viewer)[:PANEL_SIZE])
    return articles


def latest_watch(request, viewer):
    if not viewer.is_member:
        return None
    articles = mark_readable(viewer, latest_articles(viewer))
    if not articles:
        return None
    index = TechWatchIndexPage.objects.live().only("pk", "url_path").first()
    return {"title": _("Technology watch"), "articles": articles, "index": index}
