"""The events' addresses that are not pages: registration (registration_views.py) and calendars (calendars.py)."""

from . import calendars, registration_views

app_name = "events"

urlpatterns = registration_views.urlpatterns + calendars.urlpatterns
