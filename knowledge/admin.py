"""The "Veille" section of the Wagtail admin: sources, inbox, members' reports and the digests sent."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .admin_sources import InboxViewSet, SourceViewSet
from .models import DigestIssue, ErrorReport


class OnlyPermissionPolicy(ModelPermissionPolicy):
    """Model permissions restricted to some actions, for everyone including superusers: these rows are
    written by the site (members' reports, the digest command), never typed into the admin."""

    def __init__(self, model, actions):
        super().__init__(model)
        self.actions = set(actions)

    def user_has_permission(self, user, action):
        return action in self.actions and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(ErrorReport, OnlyPermissionPolicy(ErrorReport, ["view", "change"]), exact_class=True)
# Digests are sent by `manage.py send_techwatch_digest`.
register_permission_policy(DigestIssue, OnlyPermissionPolicy(DigestIssue, ["view"]), exact_class=True)


class ErrorReportViewSet(ModelViewSet):
    """Members' reports: editors read them, answer the sender by e-mail, and mark them handled."""

    model = ErrorReport
    icon = "warning"
    menu_label = _("Error reports")
    url_prefix = "veille/signalements"
    name = "knowledge_reports"
    list_display = ["page", "kind", "sender", "created_at", "handled"]
    list_filter = ["handled", "kind"]
    form_fields = ["handled"]
    inspect_view_enabled = True
    inspect_view_fields = ["page", "kind", "sender", "message", "created_at", "handled"]
    add_to_reference_index = False
    copy_view_enabled = False

    def get_queryset(self, request):
        return ErrorReport.objects.select_related("page", "sender")


class DigestIssueViewSet(ModelViewSet):
    """The weekly digests sent, read-only: when, how many articles, how many recipients."""

    model = DigestIssue
    icon = "mail"
    menu_label = _("Digests sent")
    url_prefix = "veille/lettres"
    name = "knowledge_digests"
    list_display = ["week_start", "article_count", "started_at", "finished_at"]
    form_fields = ["week_start"]
    inspect_view_enabled = True
    add_to_reference_index = False
    copy_view_enabled = False



class WatchViewSetGroup(ViewSetGroup):
    menu_label = _("Technology watch")
    menu_icon = "doc-full-inverse"
    menu_order = 160
    items = (InboxViewSet, SourceViewSet, ErrorReportViewSet, DigestIssueViewSet)
