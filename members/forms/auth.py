"""Forms of the account journey: log in and ask for a new password."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .. import services
from ..tasks import send_email


class LoginForm(AuthenticationForm):
    """Members log in with the e-mail address they were invited at (it is their username)."""

    username = forms.CharField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "inputmode": "email"}),
    )

    def clean_username(self):
        # Accounts are created with the address in lower case; "Jean@Example.org" must find them too.
        typed = self.cleaned_data["username"].strip()
        matches = list(get_user_model().objects.filter(username__iexact=typed).values_list("username", flat=True)[:2])
        return matches[0] if len(matches) == 1 else typed


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
