"""The watch's sources and curation inbox in the Wagtail admin ("Technology watch" menu, knowledge/admin.py).

Sources: the feeds editors follow, with how their last poll went and a "Poll now" action.
Inbox: the items found in those feeds; an editor makes one a draft article or dismisses it.

Who may do what is Wagtail's permission policy for each model: editors ("Rédaction veille") hold the
knowledge app's permissions on both models (knowledge/services.py, MODEL_PERMISSIONS); acting on the
inbox needs `change_inboxitem`, polling a source `change_watchsource`.
"""

from operator import attrgetter
from urllib.parse import urlsplit

import django_filters
from django import forms
from django.db.models import Count, Q
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import View
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, StatusTagColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views import generic
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, ListingButton

from members.converters import DatabaseIdConverter  # noqa: F401 (registers <id:...>)
from members.services import person_name
from members.viewsets import post_attrs, post_button

from . import sources
from .models import InboxItem, WatchSource

INBOX_ACTIONS = [
    ("cercle.inbox.draft", _("Inbox item made into a draft")),
    ("cercle.inbox.dismiss", _("Inbox item dismissed")),
    ("cercle.inbox.restore", _("Inbox item restored")),
]


@hooks.register("register_log_actions")
def register_inbox_actions(actions):
    for action, label in INBOX_ACTIONS:
        actions.register_action(action, label, label)


def listing_post_button(label, url, *, icon_name, priority):
    """A button shown in the row itself (not in its "more" menu) that POSTs to `url`."""
    return ListingButton(label, icon_name=icon_name, priority=priority, attrs=post_attrs(url))


def header_post_button(label, url, *, icon_name, priority):
    return HeaderButton(label, icon_name=icon_name, priority=priority, attrs=post_attrs(url))


def short_address(url, length=40):
    """A feed's address without its scheme, cut to fit a column (the link keeps the whole address)."""
    address = url.split("://", 1)[-1]
    return address if len(address) <= length else address[: length - 1] + "…"


class LinkColumn(Column):
    """A cell with a link: to `url(instance)`, or to the value itself (an address outside the admin,
    opened in a new tab)."""

    cell_template_name = "knowledge/admin/sources/link_cell.html"

    def __init__(self, name, *, url=None, external=True, **kwargs):
        super().__init__(name, **kwargs)
        self.get_url = url
        self.external = external

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["url"] = self.get_url(instance) if self.get_url else context["raw_value"]
        return context


class PostActionView(PermissionCheckedMixin, View):
    """POST only: do something to one object, then go back where the editor was (or to the listing)."""

    http_method_names = ["post"]
    model = None
    permission_required = "change"
    index_url_name = None

    def back_url(self):
        return get_valid_next_url_from_request(self.request) or reverse(self.index_url_name)

    def post(self, request, pk):
        self.object = get_object_or_404(self.model, pk=pk)
        return self.perform(self.object)

    def perform(self, obj):
        raise NotImplementedError


# --- Sources -------------------------------------------------------------------------------------


class SourceForm(WagtailAdminModelForm):
    def clean_feed_url(self):
        url = self.cleaned_data["feed_url"]
        try:
            sources.check_address(url)
        except sources.FeedError as error:
            raise forms.ValidationError(str(error)) from None
        return url


class SourceStatusColumn(Column):
    """The status as a tag; a failing source also shows its last error and how many polls failed in a row."""

    cell_template_name = "knowledge/admin/sources/status_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["failing"] = instance.status == WatchSource.Status.FAILING
        context["ok"] = instance.status == WatchSource.Status.OK
        return context


class SourceIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .annotate(
                item_count=Count("items", distinct=True),
                new_item_count=Count("items", filter=Q(items__state=InboxItem.State.NEW), distinct=True),
            )
        )

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.user_has_permission("change"):
            # In the row's "more" menu: the name column stays readable.
            url = reverse("watch_sources:poll", args=[instance.pk])
            buttons.append(post_button(_("Poll now"), url, icon_name="resubmit", priority=5))
        return buttons


class SourceInspectView(generic.InspectView):
    @cached_property
    def header_buttons(self):
        if not self.user_has_permission("change"):
            return []
        return [
            header_post_button(
                _("Poll now"), reverse("watch_sources:poll", args=[self.object.pk]), icon_name="resubmit", priority=10
            )
        ]


class SourcePollView(PostActionView):
    """ "Poll now": fetch this feed at once, whether active or not, and say how it went."""

    model = WatchSource

    def perform(self, source):
        result = sources.poll_source(source)
        if not result.ok:
            messages.error(
                self.request,
                _("“%(name)s” could not be polled: %(error)s") % {"name": source.name, "error": result.error},
            )
        elif result.not_modified:
            messages.success(self.request, _("“%(name)s” has not changed since the last poll.") % {"name": source.name})
        else:
            messages.success(
                self.request,
                ngettext(
                    "“%(name)s” polled: %(count)d new item in the inbox.",
                    "“%(name)s” polled: %(count)d new items in the inbox.",
                    result.new_items,
                )
                % {"name": source.name, "count": result.new_items},
                buttons=[messages.button(reverse("watch_inbox:index") + f"?source={source.pk}", _("Open the inbox"))]
                if result.new_items
                else None,
            )
        return redirect(self.back_url())


class SourceFilterSet(WagtailFilterSet):
    class Meta:
        model = WatchSource
        fields = ["status", "active"]


class SourceViewSet(ModelViewSet):
    model = WatchSource
    icon = "link-external"
    menu_label = _("Sources")
    url_prefix = "veille/sources"
    name = "watch_sources"
    index_view_class = SourceIndexView
    inspect_view_class = SourceInspectView
    inspect_view_enabled = True
    inspect_view_fields = [
        "name",
        "feed_url",
        "default_topics",
        "active",
        "status",
        "last_error",
        "failures",
        "last_polled_at",
        "last_success_at",
    ]
    copy_view_enabled = False
    add_to_reference_index = False
    search_backend_name = None
    search_fields = ["name", "feed_url"]
    filterset_class = SourceFilterSet
    list_display = [
        "name",
        LinkColumn(
            "feed_url",
            label=_("Address"),
            accessor=lambda source: short_address(source.feed_url),
            url=lambda source: source.feed_url,
        ),
        SourceStatusColumn(
            "status", label=_("Status"), accessor=lambda source: source.get_status_display(), sort_key="status"
        ),
        DateColumn("last_polled_at", label=_("Last polled"), sort_key="last_polled_at"),
        Column("new_item_count", label=_("To review"), sort_key="new_item_count"),
        Column("item_count", label=_("Items"), sort_key="item_count"),
        BooleanColumn("active", label=_("Active"), sort_key="active"),
    ]
    edit_handler = ObjectList(
        [FieldPanel("name"), FieldPanel("feed_url"), FieldPanel("default_topics"), FieldPanel("active")],
        base_form_class=SourceForm,
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path(
                "poll/<id:pk>/",
                SourcePollView.as_view(index_url_name=self.get_url_name("index")),
                name="poll",
            ),
        ]


# --- Inbox ---------------------------------------------------------------------------------------


class InboxFilterSet(WagtailFilterSet):
    """The inbox opens on the items still to review; "All" shows the handled ones too."""

    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=InboxItem.State.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
        initial=InboxItem.State.NEW,
    )

    class Meta:
        model = InboxItem
        fields = ["state", "source"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if "state" not in data:
            data["state"] = InboxItem.State.NEW
        super().__init__(data, *args, **kwargs)


class InboxActionsMixin:
    """Make a draft, Dismiss, Restore: whichever fits the item's state, for those who may change items."""

    def inbox_actions(self, item):
        if not self.user_has_permission("change"):
            return []
        actions = []
        if item.state == InboxItem.State.DRAFTED and item.article_id:
            return actions  # its article's own buttons take it from here (the row links to it)
        actions.append((_("Make a draft"), "watch_inbox:draft", "doc-empty-inverse", 5))
        if item.state == InboxItem.State.DISMISSED:
            actions.append((_("Restore"), "watch_inbox:restore", "undo", 6))
        else:
            actions.append((_("Dismiss"), "watch_inbox:dismiss", "cross", 6))
        return [
            (label, reverse(url_name, args=[item.pk]), icon, priority) for label, url_name, icon, priority in actions
        ]


class InboxIndexView(InboxActionsMixin, generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("source", "article", "handled_by")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        for label, url, icon_name, priority in self.inbox_actions(instance):
            buttons.append(listing_post_button(label, url, icon_name=icon_name, priority=priority))
        return buttons


class InboxInspectView(InboxActionsMixin, generic.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(InboxItem.objects.select_related("source", "article", "handled_by"), pk=self.pk)

    @cached_property
    def header_buttons(self):
        return [
            header_post_button(label, url, icon_name=icon_name, priority=priority)
            for label, url, icon_name, priority in self.inbox_actions(self.object)
        ]

    def get_url_display_value(self):
        return format_html('<a href="{0}" target="_blank" rel="noopener noreferrer">{0}</a>', self.object.url)

    def get_published_at_display_value(self):
        return local_datetime(self.object.published_at)

    def get_found_at_display_value(self):
        return local_datetime(self.object.found_at)

    def get_handled_by_display_value(self):
        user = self.object.handled_by
        return person_name(user) if user else ""

    def get_article_display_value(self):
        if self.object.article_id is None:
            return ""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("wagtailadmin_pages:edit", args=[self.object.article_id]),
            self.object.article.title,
        )


def local_datetime(value):
    return date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else ""


class InboxItemActionView(PostActionView):
    model = InboxItem


class InboxDraftView(InboxItemActionView):
    """Make the item a draft article of the watch, then open it in the page editor."""

    def perform(self, item):
        if item.state == InboxItem.State.DRAFTED and item.article_id is not None:
            messages.warning(self.request, _("This item has already been made into a draft: here it is."))
            return redirect("wagtailadmin_pages:edit", item.article_id)
        index = sources.watch_index()
        if index is not None and not index.permissions_for_user(self.request.user).can_add_subpage():
            messages.error(self.request, _("You may not add articles to the technology watch."))
            return redirect(self.back_url())
        try:
            page = sources.draft_from_item(item, self.request.user)
        except sources.CurationError as error:
            messages.error(self.request, str(error))
            return redirect(self.back_url())
        messages.success(
            self.request,
            _("Draft “%(title)s” created. Complete it, then submit it for review or publish it.")
            % {"title": page.title},
        )
        return redirect("wagtailadmin_pages:edit", page.pk)


class InboxDismissView(InboxItemActionView):
    def perform(self, item):
        try:
            sources.dismiss_item(item, self.request.user)
        except sources.CurationError as error:
            messages.error(self.request, str(error))
        else:
            messages.success(self.request, _("“%(title)s” dismissed.") % {"title": item.title})
        return redirect(self.back_url())


class InboxRestoreView(InboxItemActionView):
    def perform(self, item):
        sources.restore_item(item, self.request.user)
        messages.success(self.request, _("“%(title)s” is back among the items to review.") % {"title": item.title})
        return redirect(self.back_url())


def inbox_state(item):
    return InboxItem.State(item.state).label


class InboxViewSet(ModelViewSet):
    """Items come from the feeds, never typed in; they are not edited or deleted either (a deleted item
    would be filed again at the next poll): an editor makes a draft of them or dismisses them."""

    model = InboxItem
    icon = "tray-from"
    menu_label = _("Inbox")
    url_prefix = "veille/boite"
    name = "watch_inbox"
    index_view_class = InboxIndexView
    inspect_view_class = InboxInspectView
    inspect_view_enabled = True
    inspect_view_fields = [
        "title",
        "source",
        "url",
        "excerpt",
        "published_at",
        "found_at",
        "state",
        "article",
        "handled_by",
    ]
    copy_view_enabled = False
    add_to_reference_index = False
    search_backend_name = None
    search_fields = ["title", "excerpt", "url"]
    filterset_class = InboxFilterSet
    list_display = [
        "title",
        "source",
        LinkColumn(
            "url", label=_("Original"), accessor=lambda item: urlsplit(item.url).hostname, url=attrgetter("url")
        ),
        DateColumn("published_at", label=_("Published"), sort_key="published_at"),
        DateColumn("found_at", label=_("Found"), sort_key="found_at"),
        StatusTagColumn(
            "state",
            label=_("State"),
            accessor=inbox_state,
            primary=lambda item: item.state == InboxItem.State.NEW,
            sort_key="state",
        ),
        LinkColumn(
            "article",
            label=_("Article"),
            accessor=lambda item: item.article.title if item.article_id else "",
            url=lambda item: reverse("wagtailadmin_pages:edit", args=[item.article_id]) if item.article_id else "",
            external=False,
        ),
    ]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            add_url_name=None, edit_url_name=None, delete_url_name=None, usage_url_name=None, **kwargs
        )

    def get_urlpatterns(self):
        common = {"index_url_name": self.get_url_name("index")}
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<id:pk>/", self.inspect_view, name="inspect"),
            path("history/<id:pk>/", self.history_view, name="history"),
            path("history-results/<id:pk>/", self.history_results_view, name="history_results"),
            path("draft/<id:pk>/", InboxDraftView.as_view(**common), name="draft"),
            path("dismiss/<id:pk>/", InboxDismissView.as_view(**common), name="dismiss"),
            path("restore/<id:pk>/", InboxRestoreView.as_view(**common), name="restore"),
        ]
