"""Log in, log out, reset or change a password: Django's views with the club's templates and rules."""

from axes.utils import reset as reset_failed_logins
from django.contrib.auth import views as auth_views
from django.urls import path, reverse
from django.utils.http import urlencode

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
    form_class = PasswordResetRequestForm


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
