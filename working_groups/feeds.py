"""Per-group Atom feeds, authenticated by the member's personal feed token.

A feed reader has no session: the secret in the address stands for the person, and the access policy
answers for that person exactly as it does on the site. Feeds travel to other applications, so an
entry carries the note's title, link, date and place, never its agenda, decisions or attachments.
"""

import dataclasses

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.http import Http404
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.access import Viewer, can_read, filter_pages
from members.converters import DatabaseIdConverter  # noqa: F401 (registers <id:...>)
from members.privacy import keep_out_of_caches
from members.services import feed_token_for, profile_for_feed_token

from .models import MeetingNotePage, WorkingGroupPage

FEED_SIZE = 20


@dataclasses.dataclass(frozen=True)
class GroupForViewer:
    group: WorkingGroupPage
    viewer: Viewer


class GroupNotesFeed(Feed):
    """The latest meeting notes of one group, for a person who may read the group."""

    feed_type = Atom1Feed
    subtitle = gettext_lazy("The latest meeting notes of the group.")

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # What a feed shows depends on the person behind its secret, and may stop at any time.
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_object(self, request, group_id, token):
        profile = profile_for_feed_token(token)
        if profile is None:
            raise Http404
        viewer = Viewer(profile.user)
        group = WorkingGroupPage.objects.live().filter(pk=group_id).first()
        # The feed is for the group's own members (and staff). The same 404 for an unknown group and a
        # refused one: a feed never reveals that a group exists.
        if group is None or not can_read(viewer, group) or not (viewer.is_staff or group.pk in viewer.group_ids):
            raise Http404
        return GroupForViewer(group, viewer)

    def title(self, obj):
        return _("%(group)s: meeting notes") % {"group": obj.group.title}

    def link(self, obj):
        return obj.group.get_url()

    def items(self, obj):
        notes = filter_pages(obj.viewer, MeetingNotePage.objects.child_of(obj.group).live(), need="read")
        return notes.order_by(F("last_published_at").desc(nulls_last=True), "-pk")[:FEED_SIZE]

    def item_title(self, item):
        return item.title  # an Atom title is plain text: the feed generator escapes it once

    def item_link(self, item):
        return item.get_url()

    def item_guid(self, item):
        return f"urn:cercle:meeting-note:{item.pk}"  # stays the same when the note is renamed or moved

    item_guid_is_permalink = False

    def item_description(self, item):
        date = date_format(item.meeting_date, "DATE_FORMAT")
        if item.place:
            text = _("Meeting of %(date)s, %(place)s") % {"date": date, "place": item.place}
        else:
            text = _("Meeting of %(date)s") % {"date": date}
        return escape(text)  # the summary is declared as HTML

    def item_pubdate(self, item):
        # A note put live without going through a revision (an import) has no publication date.
        return item.last_published_at or item.first_published_at or item.latest_revision_created_at

    def item_updateddate(self, item):
        return self.item_pubdate(item)  # Atom requires <updated> on every entry


def feed_url_for(request, group):
    """The address of a group's feed for the person behind `request`; None unless they belong to it."""
    viewer = Viewer.for_request(request)
    if group.pk not in viewer.group_ids or not can_read(viewer, group):
        return None
    token = feed_token_for(request.user)
    keep_out_of_caches(request)  # the page now holds the person's secret
    return request.build_absolute_uri(reverse("working_groups:feed", args=[group.pk, token]))


urlpatterns = [
    path("groupes/<id:group_id>/flux/<str:token>/", GroupNotesFeed(), name="feed"),
]
