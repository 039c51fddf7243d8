"""profile views."""

urlpatterns = []
