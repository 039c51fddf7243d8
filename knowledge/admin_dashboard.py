"""The editors' counts on the Wagtail dashboard: what waits for them in the inbox and in the reports."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from .models import ErrorReport, InboxItem


class EditorsWorkPanel(Component):
    """New inbox items and open error reports, each shown to those whose role lets them handle it."""

    name = "cercle_editors_work"
    template_name = "knowledge/admin/home/editors_work.html"
    order = 90  # above Wagtail's own panels: this is the editors' to-do list

    def __init__(self, counts):
        self.counts = counts

    @classmethod
    def for_user(cls, user):
        counts = []
        if user.has_perm("knowledge.change_inboxitem"):
            counts.append(
                {
                    "label": _("New items in the watch's inbox"),
                    "count": InboxItem.objects.filter(state=InboxItem.State.NEW).count(),
                    "url": reverse("watch_inbox:index"),
                    "testid": "inbox-count",
                }
            )
        if user.has_perm("knowledge.change_errorreport"):
            counts.append(
                {
                    "label": _("Error reports not yet handled"),
                    "count": ErrorReport.objects.filter(handled=False).count(),
                    "url": reverse("knowledge_reports:index"),
                    "testid": "reports-count",
                }
            )
        return cls(counts) if counts else None

    def get_context_data(self, parent_context=None):
        return {"counts": self.counts}
