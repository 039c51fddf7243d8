"""iCalendar: an event's .ics, a member's personal calendar feed, the public agenda feed."""

urlpatterns = []
