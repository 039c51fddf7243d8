"""The staff's "Members" section of the Wagtail admin: organisations, memberships, invitations, charter.

Every write goes through Wagtail's create/edit/delete actions (which log "wagtail.create", "wagtail.edit",
"wagtail.delete") or through `services` (which log the club's own actions), so the audit log sees it all.
"""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, HeaderButton

from . import admin_views, services
from .converters import DatabaseIdConverter  # noqa: F401 (registers <id:...>)
from .models import (
    Charter,
    CharterSignature,
    Invitation,
    Membership,
    Organisation,
    OrganisationMembership,
    Profile,
    Tier,
)


def tier_label(code):
    return str(Tier(code).label) if code else ""  # a plain str: openpyxl refuses lazy strings


def post_attrs(url):
    """A button's attributes to POST to `url` (Wagtail's w-action controller adds the CSRF token and `next`)."""
    return {"data-controller": "w-action", "data-action": "w-action#post", "data-w-action-url-value": url}


def post_button(label, url, *, icon_name, priority):
    """A button in a row's "more" menu that POSTs to `url`."""
    return Button(label, icon_name=icon_name, priority=priority, attrs=post_attrs(url))


class IndexView(generic.IndexView):
    """Wagtail's listing, with CSV exports in the language of the person who asked for them."""

    def write_csv_response(self, queryset):
        # The CSV is streamed after the view returns, outside the admin's per-user language: keep it.
        language = translation.get_language()
        response = super().write_csv_response(queryset)
        stream = response.streaming_content

        def in_language():
            with translation.override(language):
                yield from stream

        response.streaming_content = in_language()
        return response


class MembersModelViewSet(ModelViewSet):
    """What the section's viewsets share: no copies (they would bypass the services), plain SQL search."""

    index_view_class = IndexView
    copy_view_enabled = False
    add_to_reference_index = False
    search_backend_name = None


# --- Periods (memberships of people and of organisations) ----------------------------------------

VALIDITY_CHOICES = [("current", _("Valid today")), ("ended", _("Ended")), ("upcoming", _("Not started yet"))]


def filter_validity(queryset, name, value):
    today = timezone.localdate()
    if value == "current":
        return queryset.valid_on(today)
    if value == "ended":
        return queryset.filter(valid_until__lt=today)
    if value == "upcoming":
        return queryset.filter(valid_from__gt=today)
    return queryset


def validity_filter():
    return django_filters.ChoiceFilter(
        label=_("Validity"),
        choices=VALIDITY_CHOICES,
        method=filter_validity,
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )


def validity(period):
    today = timezone.localdate()
    if period.valid_from > today:
        return VALIDITY_CHOICES[2][1]
    if period.valid_until is not None and period.valid_until < today:
        return VALIDITY_CHOICES[1][1]
    return VALIDITY_CHOICES[0][1]


def validity_column():
    return StatusTagColumn(
        "validity",
        label=_("Validity"),
        accessor=validity,
        primary=lambda period: validity(period) == VALIDITY_CHOICES[0][1],
    )


class PeriodForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The period ends before it starts."))
        return cleaned


# --- Memberships ---------------------------------------------------------------------------------


class MembershipFilterSet(WagtailFilterSet):
    validity = validity_filter()

    class Meta:
        model = Membership
        fields = ["tier", "category", "organisation"]


class MembershipIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user__profile", "organisation")

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons.copy()
        if self.request.user.has_perm("members.add_membership"):
            buttons.append(
                HeaderButton(_("Import from a CSV file"), url=reverse("members_import:index"), icon_name="upload")
            )
        return buttons


class MembershipViewSet(MembersModelViewSet):
    model = Membership
    name = "members_memberships"
    url_prefix = "members/memberships"
    icon = "user"
    menu_order = 1
    index_view_class = MembershipIndexView
    edit_handler = ObjectList(Membership.panels, base_form_class=PeriodForm)
    list_display = [
        "user",
        Column("name", label=_("Name"), accessor=lambda m: services.person_name(m.user)),
        "category",
        "tier",
        "valid_from",
        "valid_until",
        "organisation",
        validity_column(),
    ]
    filterset_class = MembershipFilterSet
    search_fields = ["user__first_name", "user__last_name", "user__email", "user__username"]
    # The columns of the members' import, so that an export can be corrected and imported again.
    list_export = [
        "user.email",
        "user.first_name",
        "user.last_name",
        "category",
        "tier",
        "valid_from",
        "valid_until",
        "organisation",
        "fee",
    ]
    export_headings = {
        "user.email": "email",
        "user.first_name": "first_name",
        "user.last_name": "last_name",
        "category": "category",
        "tier": "tier",
        "valid_from": "valid_from",
        "valid_until": "valid_until",
        "organisation": "organisation",
        "fee": "fee",
    }
    export_filename = "memberships"


# --- Organisations -------------------------------------------------------------------------------


class OrganisationIndexView(IndexView):
    custom_field_preprocess = {"current_tier": {"csv": tier_label, "xlsx": tier_label}}

    def get_base_queryset(self):
        current = (
            OrganisationMembership.objects.filter(organisation=OuterRef("pk"))
            .valid_on(timezone.localdate())
            .order_by("-tier", "-seats")  # "premium" sorts after "basic"
        )
        return (
            super()
            .get_base_queryset()
            .annotate(
                current_tier=Subquery(current.values("tier")[:1]),
                current_seats=Subquery(current.values("seats")[:1]),
                people_count=Count("people", distinct=True),
            )
        )


class OrganisationDeleteView(generic.DeleteView):
    """An organisation with history (periods, members, people) is kept: deleting it would erase that history."""

    def dispatch(self, request, *args, **kwargs):
        if not self.user_has_permission("delete"):
            raise PermissionDenied
        org = self.object
        if (
            org.memberships.exists()
            or org.people.exists()
            or Membership.objects.filter(organisation=org).exists()
            or Invitation.objects.filter(organisation=org).exists()
        ):
            return admin_views.refused(
                request,
                _(
                    "“%(name)s” has membership periods, people or invitations: deleting it would erase part "
                    "of the club's history, so it is kept."
                )
                % {"name": org.name},
                back_url=reverse(self.index_url_name),
            )
        return super().dispatch(request, *args, **kwargs)


class OrganisationViewSet(MembersModelViewSet):
    model = Organisation
    name = "members_organisations"
    url_prefix = "members/organisations"
    icon = "site"
    menu_order = 2
    index_view_class = OrganisationIndexView
    delete_view_class = OrganisationDeleteView
    list_display = [
        "name",
        "kind",
        Column(
            "current_tier",
            label=_("Current tier"),
            accessor=lambda o: tier_label(o.current_tier),
            sort_key="current_tier",
        ),
        Column("current_seats", label=_("Seats"), sort_key="current_seats"),
        Column("people_count", label=_("People"), sort_key="people_count"),
    ]
    list_filter = ["kind"]
    search_fields = ["name"]
    list_export = ["name", "get_kind_display", "website", "current_tier", "current_seats", "people_count"]
    export_headings = {
        "name": _("Name"),
        "get_kind_display": _("Kind"),
        "website": _("Website"),
        "current_tier": _("Current tier"),
        "current_seats": _("Seats"),
        "people_count": _("People"),
    }
    export_filename = "organisations"


class OrganisationMembershipFilterSet(WagtailFilterSet):
    validity = validity_filter()

    class Meta:
        model = OrganisationMembership
        fields = ["tier", "organisation"]


class OrganisationMembershipIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("organisation")


class OrganisationMembershipViewSet(MembersModelViewSet):
    model = OrganisationMembership
    name = "members_organisation_memberships"
    url_prefix = "members/organisation-memberships"
    icon = "date"
    menu_order = 3
    index_view_class = OrganisationMembershipIndexView
    edit_handler = ObjectList(OrganisationMembership.panels, base_form_class=PeriodForm)
    list_display = ["organisation", "tier", "seats", "fee", "valid_from", "valid_until", validity_column()]
    filterset_class = OrganisationMembershipFilterSet
    search_fields = ["organisation__name"]
    list_export = ["organisation", "tier", "seats", "fee", "valid_from", "valid_until"]
    export_filename = "organisation-memberships"


# --- Invitations ---------------------------------------------------------------------------------


def effective_state(invitation):
    """The state as the person would find it: a sent invitation past its date is expired."""
    return Invitation.State.EXPIRED if invitation.is_expired else invitation.state


def filter_state(queryset, name, value):
    now = timezone.now()
    if value == Invitation.State.SENT:
        return queryset.filter(state=Invitation.State.SENT, expires_at__gt=now)
    if value == Invitation.State.EXPIRED:
        return queryset.filter(Q(state=Invitation.State.EXPIRED) | Q(state=Invitation.State.SENT, expires_at__lte=now))
    return queryset.filter(state=value) if value else queryset


class InvitationFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=Invitation.State.choices,
        method=filter_state,
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )

    class Meta:
        model = Invitation
        fields = ["tier", "category"]


def invitation_is_open_to_changes(invitation):
    return invitation.state in (Invitation.State.SENT, Invitation.State.EXPIRED)


class InvitationButtonsMixin:
    """Resend and Revoke, wherever an invitation is shown with its actions."""

    def invitation_action_buttons(self, invitation):
        if not invitation_is_open_to_changes(invitation) or not self.user_has_permission("change"):
            return []
        return [
            post_button(
                _("Send again"),
                reverse("members_invitations:resend", args=[invitation.pk]),
                icon_name="mail",
                priority=40,
            ),
            post_button(
                _("Revoke"),
                reverse("members_invitations:revoke", args=[invitation.pk]),
                icon_name="cross",
                priority=50,
            ),
        ]


class InvitationIndexView(InvitationButtonsMixin, IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("invited_by", "organisation")

    def get_edit_url(self, instance):
        # Accepted and revoked invitations are closed: their title leads to the read-only view.
        if invitation_is_open_to_changes(instance):
            return super().get_edit_url(instance)
        return None

    def get_list_more_buttons(self, instance):
        return super().get_list_more_buttons(instance) + self.invitation_action_buttons(instance)

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        row["state"] = Invitation.State(effective_state(item)).label
        return row


class InvitationCreateForm(WagtailAdminModelForm):
    def clean_email(self):
        from .forms.invitations import clean_invitable_email

        return clean_invitable_email(self.cleaned_data["email"])


class InvitationCreateView(generic.CreateView):
    """Sending is the service's job: it makes the secret link, logs and e-mails it."""

    submit_button_label = _("Send the invitation")
    submit_button_active_label = _("Sending…")

    def save_instance(self):
        data = self.form.cleaned_data
        invitation, _token = services.invite(
            data["email"],
            invited_by=self.request.user,
            tier=data["tier"],
            category=data["category"],
            organisation=data.get("organisation"),
            message=data.get("message", ""),
        )
        return invitation

    def get_success_message(self, instance):
        return _("Invitation sent to %(email)s.") % {"email": instance.email}


class InvitationEditView(InvitationButtonsMixin, generic.EditView):
    """Only what the person has not been told yet can change: tier, category, organisation."""

    def dispatch(self, request, *args, **kwargs):
        if not self.user_has_permission("change"):
            raise PermissionDenied
        invitation = Invitation.objects.filter(pk=kwargs.get("pk")).first()
        if invitation is not None and not invitation_is_open_to_changes(invitation):
            message = _("This invitation is %(state)s: it can no longer be changed.") % {
                "state": invitation.get_state_display().lower()
            }
            if request.method == "POST":
                return admin_views.refused(request, message, back_url=reverse(self.index_url_name))
            messages.warning(request, message)
            return redirect(self.inspect_url_name, invitation.pk)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def header_more_buttons(self):
        return super().header_more_buttons + self.invitation_action_buttons(self.object)


class InvitationViewSet(MembersModelViewSet):
    model = Invitation
    name = "members_invitations"
    url_prefix = "members/invitations"
    icon = "mail"
    menu_order = 4
    index_view_class = InvitationIndexView
    add_view_class = InvitationCreateView
    edit_view_class = InvitationEditView
    inspect_view_enabled = True
    inspect_view_fields = [
        "email",
        "tier",
        "category",
        "organisation",
        "message",
        "state",
        "invited_by",
        "sent_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
    ]
    list_display = [
        "email",
        "tier",
        StatusTagColumn(
            "state",
            label=_("State"),
            accessor=lambda inv: Invitation.State(effective_state(inv)).label,
            primary=lambda inv: effective_state(inv) == Invitation.State.SENT,
            sort_key="state",
        ),
        "sent_at",
        "expires_at",
        "invited_by",
    ]
    filterset_class = InvitationFilterSet
    search_fields = ["email"]
    list_export = [
        "email",
        "tier",
        "category",
        "organisation",
        "state",
        "sent_at",
        "expires_at",
        "invited_by",
        "accepted_at",
    ]
    export_filename = "invitations"

    create_panels = [
        FieldPanel("email"),
        FieldRowPanel([FieldPanel("tier"), FieldPanel("category")]),
        FieldPanel("organisation"),
        FieldPanel("message"),
    ]
    edit_panels = [
        FieldRowPanel([FieldPanel("tier"), FieldPanel("category")]),
        FieldPanel("organisation", help_text=_("Applies when the person accepts the invitation.")),
    ]

    @cached_property
    def create_handler(self):
        return ObjectList(self.create_panels, base_form_class=InvitationCreateForm).bind_to_model(Invitation)

    @cached_property
    def edit_handler(self):
        return ObjectList(self.edit_panels).bind_to_model(Invitation)

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(
            panel=self.create_handler, form_class=self.create_handler.get_form_class(), **kwargs
        )

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(
            panel=self.edit_handler, form_class=self.edit_handler.get_form_class(), **kwargs
        )

    def get_urlpatterns(self):
        common = {"index_url_name": self.get_url_name("index"), "edit_url_name": self.get_url_name("edit")}
        return super().get_urlpatterns() + [
            path("resend/<id:pk>/", admin_views.InvitationResendView.as_view(**common), name="resend"),
            path("revoke/<id:pk>/", admin_views.InvitationRevokeView.as_view(**common), name="revoke"),
        ]


# --- Charter -------------------------------------------------------------------------------------


class CharterIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().annotate(signature_count=Count("signatures"))

    @cached_property
    def current_charter_pk(self):
        current = Charter.current()
        return current.pk if current else None

    def charter_status(self, charter):
        if charter.pk == self.current_charter_pk:
            return _("In force")
        if charter.effective_date > timezone.localdate():
            return _("Upcoming")
        return _("Superseded")

    @cached_property
    def columns(self):
        return super().columns + [
            StatusTagColumn(
                "status",
                label=_("Status"),
                accessor=self.charter_status,
                primary=lambda charter: charter.pk == self.current_charter_pk,
            )
        ]


class CharterCreateView(generic.CreateView):
    submit_button_label = _("Publish")
    submit_button_active_label = _("Publishing…")

    def save_instance(self):
        data = self.form.cleaned_data
        return services.publish_charter(
            title=data["title"],
            version=data["version"],
            body=data["body"],
            effective_date=data["effective_date"],
            by=self.request.user,
        )

    def get_success_message(self, instance):
        return _("Charter version %(version)s published.") % {"version": instance.version}


class CharterEditView(generic.EditView):
    """A version someone signed is what they signed: it is never rewritten; publish a new version instead."""

    def dispatch(self, request, *args, **kwargs):
        if not self.user_has_permission("change"):
            raise PermissionDenied
        charter = Charter.objects.filter(pk=kwargs.get("pk")).first()
        if charter is not None and charter.signatures.exists():
            message = _(
                "Members have signed version %(version)s: it can no longer be changed. Publish a new version instead."
            ) % {"version": charter.version}
            if request.method == "POST":
                return admin_views.refused(request, message, back_url=reverse(self.index_url_name))
            messages.warning(request, message)
            return redirect(self.inspect_url_name, charter.pk)
        return super().dispatch(request, *args, **kwargs)


class CharterDeleteView(generic.DeleteView):
    def dispatch(self, request, *args, **kwargs):
        if not self.user_has_permission("delete"):
            raise PermissionDenied
        if self.object.signatures.exists():
            return admin_views.refused(
                request,
                _("Members have signed version %(version)s: it is kept as the record of what they signed.")
                % {"version": self.object.version},
                back_url=reverse(self.index_url_name),
            )
        return super().dispatch(request, *args, **kwargs)


class CharterViewSet(MembersModelViewSet):
    model = Charter
    name = "members_charters"
    url_prefix = "members/charter-versions"
    icon = "doc-full"
    menu_order = 5
    index_view_class = CharterIndexView
    add_view_class = CharterCreateView
    edit_view_class = CharterEditView
    delete_view_class = CharterDeleteView
    inspect_view_enabled = True
    inspect_view_fields = ["title", "version", "effective_date", "body", "created_at"]
    list_display = [
        "title",
        "version",
        "effective_date",
        Column("signature_count", label=_("Signatures"), sort_key="signature_count"),
    ]
    search_fields = ["title", "version"]
    list_export = ["version", "title", "effective_date", "signature_count"]
    export_headings = {"signature_count": _("Signatures")}
    export_filename = "charter-versions"


class CharterSignatureFilterSet(WagtailFilterSet):
    class Meta:
        model = CharterSignature
        fields = ["charter"]


class CharterSignatureIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user__profile", "charter")


class CharterSignatureViewSet(MembersModelViewSet):
    """Read only: a signature is given by the member, never made in the admin."""

    model = CharterSignature
    name = "members_charter_signatures"
    url_prefix = "members/charter-signatures"
    icon = "tick"
    menu_order = 6
    index_view_class = CharterSignatureIndexView
    inspect_view_enabled = True
    list_display = [
        "user",
        Column("name", label=_("Name"), accessor=lambda s: services.person_name(s.user)),
        "charter",
        "signed_at",
    ]
    filterset_class = CharterSignatureFilterSet
    search_fields = ["user__first_name", "user__last_name", "user__email"]
    list_export = ["user.email", "user.first_name", "user.last_name", "charter.version", "signed_at"]
    export_headings = {
        "user.email": _("E-mail"),
        "user.first_name": _("First name"),
        "user.last_name": _("Last name"),
        "charter.version": _("Version"),
    }
    export_filename = "charter-signatures"

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(add_url_name=None, edit_url_name=None, delete_url_name=None, **kwargs)

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<id:pk>/", self.inspect_view, name="inspect"),
            path("history/<id:pk>/", self.history_view, name="history"),
            path("history-results/<id:pk>/", self.history_results_view, name="history_results"),
        ]


# --- Profiles ------------------------------------------------------------------------------------


class ProfileFilterSet(WagtailFilterSet):
    class Meta:
        model = Profile
        fields = ["organisation"]


class ProfileIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "organisation")

    def get_list_more_buttons(self, instance):
        # Staff anonymise a departed member from here too, not only from Wagtail's users' list.
        from .admin_anonymise import anonymise_button

        return super().get_list_more_buttons(instance) + anonymise_button(instance.user, self.request.user)


class ProfileEditView(generic.EditView):
    def get_object(self, queryset=None):
        profile = super().get_object(queryset)
        self.previous_organisation_id = profile.organisation_id
        return profile

    def save_instance(self):
        profile = self.form.instance
        if profile.organisation_id != self.previous_organisation_id:
            # Seats of an organisation go to its people in the order they joined it.
            profile.joined_organisation_at = timezone.now() if profile.organisation_id else None
        return super().save_instance()  # the role groups follow by the profile's signal


class ProfileViewSet(MembersModelViewSet):
    model = Profile
    name = "members_profiles"
    url_prefix = "members/profiles"
    icon = "user"
    menu_order = 7
    index_view_class = ProfileIndexView
    edit_view_class = ProfileEditView
    panels = [
        FieldRowPanel([FieldPanel("display_name"), FieldPanel("job_title")]),
        FieldPanel("organisation"),
        FieldPanel("bio"),
        FieldPanel("expertise"),
    ]
    list_display = [
        "__str__",
        Column("email", label=_("E-mail"), accessor="user.email"),
        "job_title",
        "organisation",
    ]
    filterset_class = ProfileFilterSet
    search_fields = ["display_name", "job_title", "user__first_name", "user__last_name", "user__email"]
    list_export = ["name", "user.email", "job_title", "organisation"]
    export_headings = {"name": _("Name"), "user.email": _("E-mail")}
    export_filename = "profiles"

    # A profile comes with its account (invitation, import): none is made here.
    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(add_url_name=None, **kwargs)

    def get_urlpatterns(self):
        return [pattern for pattern in super().get_urlpatterns() if pattern.name != "add"]


# --- Import, and the menu ------------------------------------------------------------------------


class MembersImportViewSet(ViewSet):
    name = "members_import"
    url_prefix = "members/import"
    icon = "upload"
    menu_label = _("Import members")
    menu_order = 8

    @cached_property
    def menu_item_class(self):
        class ImportMenuItem(MenuItem):
            def is_shown(self, request):
                return request.user.has_perm("members.add_membership")

        return ImportMenuItem

    def get_urlpatterns(self):
        return [path("", admin_views.MembersImportView.as_view(), name="index")]


class MembersViewSetGroup(ViewSetGroup):
    menu_label = _("Members")
    menu_icon = "group"
    menu_order = 150
    items = (
        MembershipViewSet,
        OrganisationViewSet,
        OrganisationMembershipViewSet,
        InvitationViewSet,
        CharterViewSet,
        CharterSignatureViewSet,
        ProfileViewSet,
        MembersImportViewSet,
    )

    def __init__(self):
        from .viewsets_requests import MembershipRequestViewSet  # built on this module's classes

        # The members' requests first: they are what staff act on.
        self.items = (MembershipRequestViewSet, *self.items)
        super().__init__()
