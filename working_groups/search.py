"""What the search finds in the working groups: the groups and clusters, and their meeting notes.

A group's space and its notes show nothing to those who may only know they exist (models.refuse_teaser):
the teaser holds what the list of groups already tells them (title, theme, meeting date), the body the
rest (purpose, agenda, decisions, action items, who came).
"""

import datetime

from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from home.search import rich_text, stream_text
from members.services import person_name
from search.registry import PageIndexer, register

from .models import MeetingNotePage, WorkingGroupIndexPage, WorkingGroupPage


@register
class GroupsIndexIndexer(PageIndexer):
    model = WorkingGroupIndexPage
    kind = "groups_index"
    label = _("Working groups")
    section = "groups"
    section_label = _("Working groups")

    def teaser(self, page):
        return [page.search_description, rich_text(page.introduction)]


class GroupIndexer(PageIndexer):
    section = "groups"
    section_label = _("Working groups")

    def teaser(self, page):
        return [page.search_description, page.theme]

    def body(self, page):
        return [rich_text(page.purpose)]

    def facets(self, page):
        return [("group", str(page.pk), page.title)]


@register
class ClusterIndexer(GroupIndexer):
    """Registered before the working groups' indexer, which then serves every group page (see below):
    this one gives the clusters their kind, label and share of a rebuild."""

    model = WorkingGroupPage
    kind = "cluster"
    label = _("Technology cluster")

    def queryset(self):
        return super().queryset().filter(kind=WorkingGroupPage.Kind.CLUSTER)


@register
class WorkingGroupIndexer(GroupIndexer):
    """Every group page is built here (the registry keeps one indexer per model); a cluster's document
    is of the kind "cluster", so that the kind facet tells groups and clusters apart."""

    model = WorkingGroupPage
    kind = "working_group"
    label = _("Working group")

    def queryset(self):
        return super().queryset().exclude(kind=WorkingGroupPage.Kind.CLUSTER)

    def build(self, page):
        data = super().build(page)
        if data is not None and page.kind == WorkingGroupPage.Kind.CLUSTER:
            data.kind = ClusterIndexer.kind
        return data


def meeting_day(note):
    """The meeting's date as people write it in the note's language ("12 mars 2026"), and as ISO."""
    language = note.locale.language_code if note.locale_id else None
    with translation.override(language):
        spoken = formats.date_format(note.meeting_date, "j F Y")
    return [spoken, note.meeting_date.isoformat()]


@register
class MeetingNoteIndexer(PageIndexer):
    model = MeetingNotePage
    kind = "meeting_note"
    label = _("Meeting notes")
    section = "groups"
    section_label = _("Working groups")

    def teaser(self, page):
        return [page.search_description, meeting_day(page)]

    def body(self, page):
        attendees = page.attendees.select_related("profile").order_by("last_name", "first_name", "pk")
        return [page.place, rich_text(page.agenda), stream_text(page.outcomes), [person_name(u) for u in attendees]]

    def facets(self, page):
        group = page.get_parent()
        return [("group", str(group.pk), group.title)] if group is not None else []

    def date(self, page):
        return timezone.make_aware(datetime.datetime.combine(page.meeting_date, datetime.time(12)))
