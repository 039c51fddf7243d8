"""Views of the opportunities that are not pages."""

urlpatterns = []
