"""Forms of the invitation journey: inviting someone, and accepting an invitation."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import Category, Invitation, Organisation, Tier


def account_exists(email):
    """An account already answers to this address (as its e-mail or as its username)."""
    return get_user_model().objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists()


def clean_invitable_email(email):
    """An address the club may invite: no account yet, no open invitation (front end and admin alike)."""
    email = email.strip().lower()
    if account_exists(email):
        raise forms.ValidationError(
            _("This person already has an account: there is no need to invite them."), code="account_exists"
        )
    if Invitation.objects.filter(
        email__iexact=email, state=Invitation.State.SENT, expires_at__gt=timezone.now()
    ).exists():
        raise forms.ValidationError(
            _("An invitation has already been sent to this address and is still open."), code="already_invited"
        )
    return email


def account_exists_error():
    return forms.ValidationError(
        format_html(
            '{} <a href="{}">{}</a>',
            _("An account already exists for this e-mail address."),
            reverse("login"),
            _("Log in instead."),
        ),
        code="account_exists",
    )


class InvitationForm(forms.Form):
    """What a member of staff, or an effective member, fills in to invite someone."""

    email = forms.EmailField(label=_("E-mail address of the person you invite"))
    tier = forms.ChoiceField(label=_("Tier"), choices=Tier.choices, initial=Tier.BASIC)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices, initial=Category.ADHERENT)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("None: a personal membership"),
        help_text=_("The member organisation that pays for this membership, if any."),
    )
    message = forms.CharField(
        label=_("Personal message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown in the e-mail and on the invitation page."),
    )

    def clean_email(self):
        return clean_invitable_email(self.cleaned_data["email"])


class AcceptInvitationForm(forms.Form):
    """The invited person's names, password and (if the club has one) acceptance of the charter."""

    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    accept_charter = forms.BooleanField(
        label=_("I have read the ethics charter and I commit to respecting it."),
        error_messages={"required": _("Tick the box to accept the ethics charter.")},
    )

    def __init__(self, *args, invitation, charter, read_version=None, **kwargs):
        self.invitation = invitation
        self.charter = charter
        super().__init__(*args, **kwargs)
        # A new version may come into force between reading the page and sending it: the person must
        # accept the text they are shown, so the old tick does not count for the new version.
        self.charter_changed = bool(self.is_bound and charter and read_version != charter.version)
        if self.charter_changed:
            self.data = self.data.copy()
            self.data.pop("accept_charter", None)
        if charter is None:
            del self.fields["accept_charter"]

    def clean_password2(self):
        password1 = self.cleaned_data.get("password1")
        password2 = self.cleaned_data.get("password2")
        if password1 and password2 and password1 != password2:
            raise forms.ValidationError(_("The two passwords do not match."), code="password_mismatch")
        return password2

    def clean(self):
        cleaned = super().clean()
        if self.charter_changed:
            self.add_error(
                None,
                forms.ValidationError(
                    _("A new version of the ethics charter came into force meanwhile: read it and accept it below."),
                    code="charter_changed",
                ),
            )
        if account_exists(self.invitation.email):
            raise account_exists_error()
        password = cleaned.get("password2")
        if password and "password2" not in self._errors:
            User = get_user_model()
            candidate = User(
                username=self.invitation.email,
                email=self.invitation.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
