"""The knowledge app's views beside its pages: feeds, error reports, the digest's unsubscribe link."""

from django.urls import path

from members.converters import DatabaseIdConverter  # noqa: F401 (registers <id:...>)

from . import digest, feeds, views

app_name = "knowledge"

urlpatterns = [
    path("veille/flux/", feeds.PublicWatchFeed(), name="public_feed"),
    path("veille/flux/<str:token>/", feeds.MemberWatchFeed(), name="member_feed"),
    path("signaler/<id:page_id>/", views.report_error, name="report_error"),
    path("lettre-veille/desabonnement/<str:token>/", digest.unsubscribe, name="digest_unsubscribe"),
]
