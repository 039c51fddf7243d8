"""Admin views of the "Members" section that are not a model's list or form: invitation actions, CSV import."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from . import imports, services
from .models import Invitation, Membership


def refused(request, message, *, back_url=None, status=409, title=None):
    """An admin page saying why something cannot be done; nothing was changed."""
    return TemplateResponse(
        request,
        "members/admin/refused.html",
        {
            "page_title": title or _("Not possible"),
            "header_title": title or _("Not possible"),
            "header_icon": "warning",
            "message": message,
            "back_url": back_url or reverse("wagtailadmin_home"),
        },
        status=status,
    )


# --- Invitations: resend, revoke ------------------------------------------------------------------

INVITATION_REFUSALS = {
    ("resend", Invitation.State.ACCEPTED): _(
        "This invitation has been accepted: the person already has an account, there is nothing to send again."
    ),
    ("resend", Invitation.State.REVOKED): _(
        "This invitation was revoked: its link stays dead. Send a new invitation if the person is welcome again."
    ),
    ("revoke", Invitation.State.ACCEPTED): _(
        "This invitation has already been accepted and can no longer be revoked. End the person's membership instead."
    ),
    ("revoke", Invitation.State.REVOKED): _("This invitation has already been revoked."),
}


def invitation_refusal(action, invitation):
    """Why `action` ("resend" or "revoke") is impossible on this invitation, or None if it is possible."""
    return INVITATION_REFUSALS.get((action, invitation.state))


class InvitationActionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, View):
    """GET asks for confirmation, POST does it. Buttons in the listing and on the edit page POST directly."""

    model = Invitation
    permission_required = "change"
    template_name = "members/admin/invitation_action.html"
    header_icon = "mail"
    action = None
    index_url_name = None
    edit_url_name = None
    confirm_label = ""
    intro = ""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.invitation = get_object_or_404(Invitation, pk=kwargs["pk"])

    def get_page_title(self):
        return self.page_title

    def get_page_subtitle(self):
        return str(self.invitation)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": capfirst(Invitation._meta.verbose_name_plural)},
            {"url": "", "label": self.get_page_title()},
        ]

    @cached_property
    def back_url(self):
        return get_valid_next_url_from_request(self.request) or reverse(self.index_url_name)

    def refuse(self, message):
        return refused(self.request, message, back_url=self.back_url)

    def get(self, request, *args, **kwargs):
        if message := invitation_refusal(self.action, self.invitation):
            return self.refuse(message)
        context = self.get_context_data(
            invitation=self.invitation,
            action_url=request.path,
            back_url=self.back_url,
            intro=self.intro,
            confirm_label=self.confirm_label,
        )
        return self.render_to_response(context)

    def post(self, request, *args, **kwargs):
        if message := invitation_refusal(self.action, self.invitation):
            return self.refuse(message)
        try:
            self.perform()
        except services.InvitationError as error:  # changed meanwhile, e.g. accepted in the meantime
            return self.refuse(INVITATION_REFUSALS.get((self.action, error.kind), _("This cannot be done.")))
        messages.success(request, self.success_message % {"email": self.invitation.email})
        return redirect(self.back_url)

    def perform(self):
        raise NotImplementedError


class InvitationResendView(InvitationActionView):
    action = "resend"
    page_title = _("Send the invitation again")
    confirm_label = _("Yes, send it again")
    intro = _("A new link is sent; the previous one stops working, and the invitation is open for another period.")
    success_message = _("A new invitation link was sent to %(email)s.")

    def perform(self):
        services.resend_invitation(self.invitation, by=self.request.user)


class InvitationRevokeView(InvitationActionView):
    action = "revoke"
    page_title = _("Revoke the invitation")
    confirm_label = _("Yes, revoke it")
    intro = _("Its link stops working at once. The invitation stays in the list, marked revoked.")
    success_message = _("The invitation to %(email)s was revoked.")

    def perform(self):
        services.revoke_invitation(self.invitation, by=self.request.user)


# --- Importing members from a CSV file ------------------------------------------------------------


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8 text with a header line. Columns: email, first_name, last_name, category, tier, "
            "valid_from, valid_until, organisation, fee. At most 1 MB."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(
                _("This is not a CSV file: save the spreadsheet as “CSV UTF-8” and upload that file."), code="not_csv"
            )
        if upload.size > imports.MAX_FILE_SIZE:
            raise forms.ValidationError(
                _("The file is larger than 1 MB: split it into several files."), code="too_large"
            )
        data = upload.read(imports.MAX_FILE_SIZE + 1)
        if len(data) > imports.MAX_FILE_SIZE:
            raise forms.ValidationError(
                _("The file is larger than 1 MB: split it into several files."), code="too_large"
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("The file is not UTF-8 text: save the spreadsheet as “CSV UTF-8” and upload it again."),
                code="not_utf8",
            ) from None
        if "\x00" in text:
            raise forms.ValidationError(
                _("This is not a CSV file: save the spreadsheet as “CSV UTF-8” and upload that file."), code="not_csv"
            )
        return text


class ImportConfirmForm(forms.Form):
    """The very file that was checked, sent back as text, with what it was shown to do."""

    content = forms.CharField(widget=forms.HiddenInput, strip=False, max_length=2 * imports.MAX_FILE_SIZE)
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)


class MembersImportView(WagtailAdminTemplateMixin, View):
    """Upload a CSV file, read the report of what it would change (nothing written), then confirm it."""

    template_name = "members/admin/import.html"
    page_title = _("Import members")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("members.add_membership"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("members_memberships:index"), "label": capfirst(Membership._meta.verbose_name_plural)},
            {"url": "", "label": self.page_title},
        ]

    def render(self, status=200, **context):
        context.setdefault("upload_form", ImportUploadForm())
        context["columns"] = imports.COLUMNS
        context["memberships_url"] = reverse("members_memberships:index")
        return self.render_to_response(self.get_context_data(**context), status=status)

    def get(self, request, *args, **kwargs):
        return self.render()

    def post(self, request, *args, **kwargs):
        if "content" in request.POST:
            return self.confirm(request)
        return self.dry_run(request)

    def dry_run(self, request):
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(status=400, upload_form=form)
        report = imports.parse_members_csv(form.cleaned_data["file"])
        return self.render(report=report, confirm_form=self._confirm_form(report))

    def confirm(self, request):
        form = ImportConfirmForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The file to import did not come back with the confirmation: upload it again."))
            return self.render(status=400)
        report = imports.parse_members_csv(form.cleaned_data["content"])
        if report.has_errors:
            messages.error(request, _("Nothing was imported: the file has errors. Correct them and upload it again."))
            return self.render(status=400, report=report)
        if report.fingerprint() != form.cleaned_data["fingerprint"]:
            # Someone changed the members meanwhile, or the file changed: show what it would do now.
            messages.warning(
                request,
                _("The members changed since this file was checked. Nothing was imported: review the report again."),
            )
            return self.render(status=409, report=report, confirm_form=self._confirm_form(report))
        created = imports.apply_import(report, by=request.user)
        messages.success(
            request,
            _("Import done: %(count)s membership(s) recorded, %(unchanged)s line(s) already up to date.")
            % {"count": len(created), "unchanged": report.count(imports.UNCHANGED)},
        )
        return redirect("members_memberships:index")

    @staticmethod
    def _confirm_form(report):
        if report.has_errors or not report.changes:
            return None
        return ImportConfirmForm(initial={"content": report.text, "fingerprint": report.fingerprint()})
