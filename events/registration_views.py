"""Register for an event, cancel, leave the waiting list (events/services.py does the work)."""

urlpatterns = []
