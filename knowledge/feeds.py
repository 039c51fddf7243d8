"""Atom feeds of the technology watch: a public one, and a personal one per member (secret address).

A feed reader has no session. The public feed is read as a visitor: only articles opened to everyone.
The personal feed is read as the person whose secret is in the address, and the access policy answers for
them as on the site: full text for those who may read an article, its teaser for the others, nothing once
the membership has ended.
"""

import dataclasses

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.access import Viewer
from members.services import profile_for_feed_token

from .listing import mark_readable, watch_articles
from .models import TechWatchIndexPage

FEED_SIZE = 30


class WatchAtomFeed(Atom1Feed):
    """Atom with the full text of an entry in <content type="html"> when the reader may have it."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


@dataclasses.dataclass(frozen=True)
class WatchForViewer:
    index: TechWatchIndexPage
    viewer: Viewer


class PublicWatchFeed(Feed):
    """The articles of the watch opened to the public."""

    feed_type = WatchAtomFeed
    subtitle = gettext_lazy("The technology watch of the club: the articles open to everyone.")

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        self.set_cache_headers(response)
        return response

    def set_cache_headers(self, response):
        patch_cache_control(response, public=True, max_age=900)

    def viewer(self, request, *args, **kwargs):
        return Viewer(AnonymousUser())

    def get_object(self, request, *args, **kwargs):
        index = TechWatchIndexPage.objects.live().first()
        if index is None:
            raise Http404
        return WatchForViewer(index, self.viewer(request, *args, **kwargs))

    def title(self, obj):
        return obj.index.title

    def link(self, obj):
        return obj.index.get_url()

    def items(self, obj):
        # The feed object is shared by every request: what the viewer may read travels with the items.
        articles = watch_articles(obj.viewer, obj.index).prefetch_related("topics")[:FEED_SIZE]
        return mark_readable(obj.viewer, list(articles))

    def item_title(self, item):
        return item.title  # plain text: the feed generator escapes it

    def item_link(self, item):
        return item.get_url()

    def item_guid(self, item):
        return f"urn:cercle:techwatch:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.first_published_at or item.last_published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]

    def item_description(self, item):
        return escape(item.summary)  # the summary element is declared as HTML

    def item_extra_kwargs(self, item):
        if not item.viewer_reads:  # a teaser: the summary alone, never the body or the commentary
            return {}
        return {"content": render_to_string("knowledge/feeds/article_content.html", {"article": item})}


class MemberWatchFeed(PublicWatchFeed):
    """The watch as one member reads it: full text where their tier allows it, teasers elsewhere."""

    subtitle = gettext_lazy("The technology watch of the club, as you read it on the site.")

    def set_cache_headers(self, response):
        # What this feed holds depends on the person behind its secret, and may stop at any time.
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"

    def get_object(self, request, token):
        profile = profile_for_feed_token(token)
        if profile is None or not profile.user.is_active:
            raise Http404
        viewer = Viewer(profile.user)
        if not viewer.is_member:  # the membership ended, or the charter waits: the feed stops
            raise Http404
        index = TechWatchIndexPage.objects.live().first()
        if index is None:
            raise Http404
        return WatchForViewer(index, viewer)

    def title(self, obj):
        return _("%(title)s: my feed") % {"title": obj.index.title}
