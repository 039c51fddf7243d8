"""The members' requests (upgrade, renewal) in the staff's "Members" section of the admin."""

import django_filters
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import StatusTagColumn, TitleColumn
from wagtail.admin.views import generic

from . import services
from .models import MembershipRequest
from .viewsets import IndexView, MembersModelViewSet


class MembershipRequestFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=MembershipRequest.State.choices,
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )

    class Meta:
        model = MembershipRequest
        fields = ["state", "kind"]


class MembershipRequestIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user__profile")


class MembershipRequestSummaryPanel(Panel):
    """What the member asked, above the answer: staff answer with the request before their eyes."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "members/admin/membership_request_summary.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            membership_request = self.instance
            profile = getattr(membership_request.user, "profile", None)
            context.update(
                membership_request=membership_request,
                name=services.person_name(membership_request.user),
                organisation=profile.organisation if profile else None,
            )
            return context


class MembershipRequestAnswerForm(WagtailAdminModelForm):
    def clean_state(self):
        state = self.cleaned_data["state"]
        reopened = state == MembershipRequest.State.NEW and self.instance.state != MembershipRequest.State.NEW
        if reopened and services.open_membership_request(self.instance.user) is not None:
            raise forms.ValidationError(_("This member has another open request: answer that one instead."))
        return state


class MembershipRequestAnswerView(generic.EditView):
    """Staff answer the member by e-mail, then record here what became of the request."""

    def save_instance(self):
        return services.answer_membership_request(
            self.object,
            state=self.form.cleaned_data["state"],
            note=self.form.cleaned_data["staff_note"],
            by=self.request.user,
        )

    def get_success_message(self):
        return _("The request of %(name)s is marked %(state)s.") % {
            "name": services.person_name(self.object.user),
            "state": self.object.get_state_display().lower(),
        }


class MembershipRequestViewSet(MembersModelViewSet):
    """Made by members from the site, never here; staff mark them handled or declined."""

    model = MembershipRequest
    name = "members_requests"
    url_prefix = "members/requests"
    icon = "mail"
    menu_label = _("Membership requests")
    menu_order = 0
    index_view_class = MembershipRequestIndexView
    edit_view_class = MembershipRequestAnswerView
    inspect_view_enabled = True
    inspect_view_fields = ["user", "kind", "tier", "message", "state", "created_at", "handled_at", "handled_by"]
    list_display = [
        TitleColumn(
            "member",
            label=_("Member"),
            accessor=lambda r: services.person_name(r.user),
            get_url=lambda r: reverse("members_requests:edit", args=[r.pk]),
        ),
        "kind",
        "tier",
        StatusTagColumn(
            "state",
            label=_("State"),
            accessor="get_state_display",
            primary=lambda r: r.state == MembershipRequest.State.NEW,
            sort_key="state",
        ),
        "created_at",
    ]
    filterset_class = MembershipRequestFilterSet
    search_fields = ["user__first_name", "user__last_name", "user__email", "message"]
    list_export = ["user.email", "kind", "tier", "state", "created_at", "handled_at"]
    export_headings = {"user.email": _("E-mail")}
    export_filename = "membership-requests"
    panels = [
        MembershipRequestSummaryPanel(heading=_("The request")),
        FieldPanel("state"),
        FieldPanel("staff_note"),
    ]

    def get_edit_view_kwargs(self, **kwargs):
        handler = ObjectList(self.panels, base_form_class=MembershipRequestAnswerForm).bind_to_model(self.model)
        return super().get_edit_view_kwargs(panel=handler, form_class=handler.get_form_class(), **kwargs)

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(add_url_name=None, delete_url_name=None, **kwargs)

    def get_urlpatterns(self):
        return [p for p in super().get_urlpatterns() if p.name not in ("add", "delete")]
