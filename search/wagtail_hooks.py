"""The editors' search reports: what people look for, and what they look for in vain.

Wagtail's search_promotions already has a "Search terms" report over its query log (Query and
QueryDailyHits), but only for superusers. Cercle reuses that report's view under its own address with
the club's rule instead: club staff and the watch's editors (members/roles.py), read through the
access policy's Viewer, like the knowledge review report. Wagtail's own menu entry is taken out so
that superusers do not see the same report twice. Queries that found nothing are not in Wagtail's log
(search/views.py records them in UnansweredQuery): a second report lists them.
"""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn
from wagtail.admin.views.reports import ReportView
from wagtail.contrib.search_promotions.views.reports import SearchTermsReportView

from members.access import Viewer

from .models import UnansweredQuery


def may_see_search_reports(request):
    """Club staff (and superusers) and the technology watch's editors."""
    viewer = Viewer.for_request(request)
    return viewer.is_staff or viewer.is_techwatch_editor


class ClubOnlyReportMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_see_search_reports(request):
            raise PermissionDenied  # the admin answers it: a message and back to the dashboard
        # Past SearchTermsReportView's own superuser-only check, to the generic report's dispatch.
        return ReportView.dispatch(self, request, *args, **kwargs)


class TopQueriesReportView(ClubOnlyReportMixin, SearchTermsReportView):
    page_title = _("Top searches")
    index_url_name = "search_top_queries_report"
    index_results_url_name = "search_top_queries_report_results"


class UnansweredQueriesReportView(ClubOnlyReportMixin, ReportView):
    page_title = _("Searches without results")
    header_icon = "search"
    model = UnansweredQuery
    index_url_name = "search_unanswered_report"
    index_results_url_name = "search_unanswered_report_results"
    default_ordering = "-hits"
    columns = [
        Column("query_string", label=_("Search term(s)"), sort_key="query_string"),
        NumberColumn("hits", label=_("Searches"), sort_key="hits"),
        DateColumn("last_seen", label=_("Last searched"), sort_key="last_seen"),
    ]
    list_export = ["query_string", "hits", "last_seen"]
    export_headings = {
        "query_string": _("Search term(s)"),
        "hits": _("Searches"),
        "last_seen": _("Last searched"),
    }

    def get_base_queryset(self):
        return UnansweredQuery.objects.all()


class SearchReportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_search_reports(request)


@hooks.register("register_admin_urls")
def register_search_report_urls():
    return [
        path("reports/searches/", TopQueriesReportView.as_view(), name="search_top_queries_report"),
        path(
            "reports/searches/results/",
            TopQueriesReportView.as_view(results_only=True),
            name="search_top_queries_report_results",
        ),
        path(
            "reports/searches-without-results/", UnansweredQueriesReportView.as_view(), name="search_unanswered_report"
        ),
        path(
            "reports/searches-without-results/results/",
            UnansweredQueriesReportView.as_view(results_only=True),
            name="search_unanswered_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_top_queries_menu_item():
    return SearchReportMenuItem(
        _("Top searches"),
        reverse("search_top_queries_report"),
        name="search-top-queries",
        icon_name="search",
        order=1300,
    )


@hooks.register("register_reports_menu_item")
def register_unanswered_menu_item():
    return SearchReportMenuItem(
        _("Searches without results"),
        reverse("search_unanswered_report"),
        name="search-unanswered",
        icon_name="search",
        order=1310,
    )


@hooks.register("construct_reports_menu")
def hide_wagtail_search_terms(request, menu_items):
    """Wagtail's superuser-only entry for the same report as "Top searches"."""
    menu_items[:] = [item for item in menu_items if item.name != "search-terms"]
