"""Log in, log out, reset or change a password: Django's views with the club's templates and rules."""

import hashlib

from axes.utils import reset as reset_failed_logins
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import caches
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ..access import Viewer
from ..forms.auth import LoginForm, PasswordResetRequestForm


class FormErrorsAre400:
    """A form sent back with errors answers 400, as everywhere on the site."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class LoginView(FormErrorsAre400, auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self):
        url = super().get_success_url()
        charter_url = reverse("members:charter")
        # A member who has not signed the current charter reads it first, then goes where they meant to.
        if Viewer.for_request(self.request).needs_charter and not url.startswith(charter_url):
            return f"{charter_url}?{urlencode({'next': url})}"
        return url


class PasswordResetView(FormErrorsAre400, auth_views.PasswordResetView):
    """At most a few e-mails an hour for one address and for one client: the form cannot be used to flood
    a member's inbox or the club's mail server. The refusal is the same whether the address is a member's
    or not, so it tells nothing about who belongs to the club."""

    form_class = PasswordResetRequestForm

    def form_valid(self, form):
        from config.client_ip import client_ip

        address = form.cleaned_data["email"].strip().lower()
        limits = [
            (f"address:{hashlib.sha256(address.encode()).hexdigest()}", settings.CERCLE_PASSWORD_RESET_PER_ADDRESS),
            (f"client:{client_ip(self.request)}", settings.CERCLE_PASSWORD_RESET_PER_CLIENT),
        ]
        if any(_over_limit(key, limit) for key, limit in limits):
            form.add_error(None, _("Too many password reset requests: please try again in an hour."))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


def _over_limit(key, limit, window=3600):
    """Count one more request under `key` in the shared cache (seen by every web process); True when the
    count goes past `limit` within the hour."""
    cache = caches[settings.CERCLE_SHARED_CACHE]
    key = f"cercle:password-reset:{key}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count > limit


class PasswordResetConfirmView(FormErrorsAre400, auth_views.PasswordResetConfirmView):
    def dispatch(self, *args, **kwargs):
        response = super().dispatch(*args, **kwargs)
        if not self.validlink and response.status_code == 200:
            # Used, expired, cut short or forged: the same answer for all, so that the link's first part
            # cannot be used to learn which account ids exist.
            response.status_code = 410
        return response

    def form_valid(self, form):
        response = super().form_valid(form)
        # Resetting the password is the way out of a brute-force lock-out, as the locked-out page says.
        reset_failed_logins(username=form.user.get_username())
        return response


class PasswordChangeView(FormErrorsAre400, auth_views.PasswordChangeView):
    pass


urlpatterns = [
    path("compte/connexion/", LoginView.as_view(), name="login"),
    path("compte/deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("compte/mot-de-passe/oublie/", PasswordResetView.as_view(), name="password_reset"),
    path("compte/mot-de-passe/oublie/envoye/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "compte/mot-de-passe/nouveau/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "compte/mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("compte/mot-de-passe/modifier/", PasswordChangeView.as_view(), name="password_change"),
    path("compte/mot-de-passe/modifie/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
