"""The opportunities' addresses that are not pages: "I'm interested" (views.py)."""

from . import views

app_name = "opportunities"

urlpatterns = views.urlpatterns
