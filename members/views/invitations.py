"""invitations views."""

urlpatterns = []
