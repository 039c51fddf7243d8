"""The editors' report of knowledge articles whose review is over a year old.

Who sees it: the watch's editors (role "Rédaction veille", who edit the knowledge base), club staff and
superusers. The check is on those roles, read through the access policy's Viewer, rather than on a model
permission: no permission means "keeps the guides up to date" (a group lead also has page permissions,
on their own group), and the roles are what the club decides with. Everyone else is answered with
Wagtail's "permission denied" (members without admin access never get past the admin's own gate).
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Prefetch, Subquery
from django.db.models.functions import Substr
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.reports import PageReportView
from wagtail.models import Page

from members.access import Viewer
from members.services import person_name

from .models import KnowledgeArticlePage

REVIEW_AFTER_DAYS = 365


def may_see_review_report(request):
    """Editors of the watch and the knowledge base, club staff, superusers."""
    viewer = Viewer.for_request(request)
    return viewer.is_staff or viewer.is_techwatch_editor


def stale_articles(today=None):
    """Live knowledge articles last reviewed more than a year ago, the oldest review first."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=REVIEW_AFTER_DAYS)
    parent = Page.objects.filter(path=Substr(OuterRef("path"), 1, (OuterRef("depth") - 1) * Page.steplen))
    return (
        KnowledgeArticlePage.objects.live()
        .filter(last_reviewed__lt=cutoff)
        .defer_streamfields()
        .annotate(category_title=Subquery(parent.values("title")[:1]))
        .prefetch_related(
            Prefetch(
                "authors",
                queryset=get_user_model().objects.select_related("profile").order_by("last_name", "first_name", "pk"),
            )
        )
        .order_by("last_reviewed", "title", "pk")
    )


class StaleKnowledgeArticlesView(PageReportView):
    page_title = _("Knowledge articles to review")
    header_icon = "time"
    model = KnowledgeArticlePage
    results_template_name = "knowledge/admin/reports/stale_articles_results.html"
    index_url_name = "knowledge_review_report"
    index_results_url_name = "knowledge_review_report_results"
    list_export = ["title", "category_title", "last_reviewed", "author_names", "admin_edit_url"]
    export_headings = {
        "title": _("Title"),
        "category_title": _("Category"),
        "last_reviewed": _("Last reviewed"),
        "author_names": _("Authors"),
        "admin_edit_url": _("Edit link"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not may_see_review_report(request):
            raise PermissionDenied  # the admin answers it: a message and back to the dashboard
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self):
        return f"knowledge-articles-to-review-{timezone.localdate().isoformat()}"

    def get_queryset(self):
        self.queryset = stale_articles()
        return super().get_queryset()

    def decorate_paginated_queryset(self, object_list):
        articles = list(object_list)
        for article in articles:
            article.author_names = ", ".join(person_name(user) for user in article.authors.all())
            article.admin_edit_url = self.request.build_absolute_uri(
                reverse("wagtailadmin_pages:edit", args=[article.pk])
            )
        return articles


class ReviewReportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_review_report(request)


@hooks.register("register_admin_urls")
def register_review_report_urls():
    return [
        path("reports/knowledge-review/", StaleKnowledgeArticlesView.as_view(), name="knowledge_review_report"),
        path(
            "reports/knowledge-review/results/",
            StaleKnowledgeArticlesView.as_view(results_only=True),
            name="knowledge_review_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_review_report_menu_item():
    return ReviewReportMenuItem(
        _("Knowledge articles to review"),
        reverse("knowledge_review_report"),
        name="knowledge-review",
        icon_name="time",
        order=1150,
    )
