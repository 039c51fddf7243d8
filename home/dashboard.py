"""The member dashboard: the panels that content apps register with the `cercle_dashboard_panels` hook,
and home's own "recently published" panel, each list filtered through the access policy."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Page

from members.access import filter_pages
from members.dashboard import DASHBOARD_PANELS_HOOK, context_for

from .i18n import one_per_translation

LATEST_COUNT = 5
# "Recently published" looks this far back: the newest few are found among these weeks' pages through the
# index on first_published_at, instead of sorting every live page the club ever published at each visit.
RECENT_DAYS = 90
# What the club publishes as content, named by label: home sits beside these apps, it does not import them.
# Sections and index pages are left out; they are not news.
LATEST_CONTENT_MODELS = (
    "knowledge.TechWatchArticlePage",
    "knowledge.KnowledgeArticlePage",
    "working_groups.MeetingNotePage",
)


def registered_panels():
    """Every panel the apps register, in a stable order (their `order`, then their name)."""
    panels = [register() for register in hooks.get_hooks(DASHBOARD_PANELS_HOOK)]
    return sorted(panels, key=lambda panel: (panel.order, panel.name))


def panels_for(request, viewer):
    """The panels to show this viewer, each with the context its template reads under `panel`."""
    shown = []
    for panel in registered_panels():
        context = context_for(panel, request, viewer)
        if context is not None:
            shown.append({"name": panel.name, "template": panel.template, "context": context})
    return shown


def _content_types():
    """{content type id: the kind of content, for the card}; ContentType's cache makes this free after once."""
    from django.apps import apps

    models = [apps.get_model(label) for label in LATEST_CONTENT_MODELS]
    return {ct.pk: model._meta.verbose_name for model, ct in ContentType.objects.get_for_models(*models).items()}


def latest_content(request, viewer):
    """The newest articles, guides and notes of the last RECENT_DAYS this viewer may read in full, newest first.

    One query: the content types, the time window and the policy's audience filter happen in the database,
    and only the columns the panel shows (and `pageurl` needs) are read."""
    kinds = _content_types()
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    recent = Page.objects.live().filter(Q(content_type_id__in=kinds), first_published_at__gte=since)
    pages = (
        # Each piece once, in the reader's language where it is translated.
        filter_pages(viewer, one_per_translation(recent), need="read")
        .order_by("-first_published_at", "-pk")
        .only("pk", "title", "url_path", "path", "depth", "first_published_at", "content_type_id", "locale_id")
    )
    pages = list(pages[:LATEST_COUNT])
    if not pages:
        return None
    for page in pages:
        page.kind = kinds[page.content_type_id]
    return {"title": _("Recently published"), "pages": pages}
