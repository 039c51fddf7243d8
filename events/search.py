"""What the search finds in the agenda: the agenda itself and its events.

An event's teaser (title, summary, kind, place, partner, speakers, its date as people write it) is for
everyone who may know the event; its description and programme are the full text, matched only for those
who may read it (a premium event's programme stays with premium members). Documents are dated by the
event's start, so that "sorted by date" lists the agenda as it runs.
"""

from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _

from home.search import SectionIndexer, rich_text, stream_text
from search.registry import PageIndexer, register
from search.registry import cluster_facets as registry_cluster_facets

from .models import EventIndexPage, EventPage


def event_day(event):
    """The event's date as people write it in the page's language ("12 mars 2027"), and as ISO."""
    language = event.locale.language_code if event.locale_id else None
    with translation.override(language):
        spoken = formats.date_format(event.start_date, "j F Y")
        kind = str(event.get_kind_display())
    return [kind, spoken, event.start_date.isoformat()]


def event_clusters(event):
    """The saved clusters, or in a preview those chosen in the form (in memory only)."""
    from django.db.models import QuerySet

    from working_groups.models import WorkingGroupPage

    chosen = event.clusters.all()
    if isinstance(chosen, QuerySet):
        return chosen
    return WorkingGroupPage.objects.filter(pk__in=[cluster.pk for cluster in chosen])


def cluster_facets(event):
    """The event's clusters, under search's rule (a cluster is named only to those who may know it)."""
    return registry_cluster_facets(event, event_clusters(event))


@register
class AgendaIndexer(SectionIndexer):
    model = EventIndexPage
    kind = "agenda"
    label = _("Agenda")
    section = "events"
    section_label = _("Agenda")


@register
class EventIndexer(PageIndexer):
    model = EventPage
    kind = "event"
    label = _("Event")
    section = "events"
    section_label = _("Agenda")

    def queryset(self):
        return super().queryset().prefetch_related("speakers")

    def teaser(self, page):
        speakers = [" ".join(part for part in (s.name, s.role) if part) for s in page.speakers.all()]
        return [
            page.search_description,
            page.summary,
            event_day(page),
            page.venue,
            page.address,
            page.partner,
            speakers,
        ]

    def body(self, page):
        return [rich_text(page.body), stream_text(page.programme)]

    def facets(self, page):
        facets = cluster_facets(page)
        if page.audience == EventPage.EventAudience.GROUP and page.group_id:
            # Only the group's members (and staff) may know a group's event: they may know the group too.
            group = page.group
            if group is not None:
                facets.append(("group", str(group.pk), group.title))
        return facets

    def date(self, page):
        return page.starts_at or super().date(page)
