"""Log in, log out, password reset: Django's views with the club's templates."""

from django.contrib.auth import views as auth_views
from django.urls import path

urlpatterns = [
    path("compte/connexion/", auth_views.LoginView.as_view(), name="login"),
    path("compte/deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
]
