"""The members' journeys on the public site (mounted under the language prefix)."""

from .views import auth, charter, invitations, my_data, profile, requests

app_name = "members"

urlpatterns = invitations.urlpatterns + charter.urlpatterns + profile.urlpatterns + requests.urlpatterns
urlpatterns += my_data.urlpatterns

# Django's own names (login, logout, password_reset…) stay un-namespaced: Django and Wagtail look them up.
auth_urlpatterns = auth.urlpatterns
