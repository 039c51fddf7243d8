"""Working groups' own views beside their pages: joining, the leads' member management, feeds."""

from . import feeds, views

app_name = "working_groups"

urlpatterns = views.urlpatterns + feeds.urlpatterns
