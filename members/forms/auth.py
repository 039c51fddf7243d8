"""Forms of the account journey: log in and ask for a new password."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .. import backends, services
from ..tasks import send_email


class LoginForm(AuthenticationForm):
    """Members log in with their e-mail address or their username, typed in any case."""

    username = forms.CharField(
        label=_("E-mail address or username"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "This e-mail address or username and this password do not match an account. Check both and try again."
        ),
        "shared_address": _("This e-mail address belongs to more than one account: log in with your username instead."),
    }

    sharing = ()  # the accounts whose address was typed, when it is the address of several

    def clean_username(self):
        # The account's own username goes to authenticate(), so that django-axes counts each account's
        # failures under one name however the person typed it.
        typed = self.cleaned_data["username"].strip()
        try:
            account = backends.find_account(typed)
        except backends.SharedAddress:
            self.sharing = backends.accounts_at(typed)
            return typed  # fails to authenticate like an unknown login: a failure axes counts
        return account.get_username() if account else typed

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if self._owns_a_sharing_account():
                raise forms.ValidationError(
                    {"username": forms.ValidationError(self.error_messages["shared_address"], code="shared_address")}
                ) from None
            raise

    def _owns_a_sharing_account(self):
        """Whether the password is that of one of the accounts sharing the typed address. Only then is it said
        that the address is shared: without the password, a shared address answers as an unknown one. Never
        after a lock-out, which must not become a way to go on testing passwords."""
        password = self.cleaned_data.get("password")
        if not self.sharing or not password or getattr(self.request, "axes_locked_out", False):
            return False
        return any(account.check_password(password) for account in self.sharing)


class PasswordResetRequestForm(PasswordResetForm):
    """Django's form, with the link built on the site's public address and the e-mail sent as a task."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # The public address, not the request's Host header: a forged Host cannot redirect the link.
        context["reset_url"] = services.absolute_url(
            reverse("password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        )
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        text = loader.render_to_string(email_template_name, context)
        html = loader.render_to_string(html_email_template_name, context) if html_email_template_name else None
        send_email.enqueue(subject=subject, to=[to_email], text=text, html=html)
