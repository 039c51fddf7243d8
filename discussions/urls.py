"""The discussions' addresses, all under /discussions/ (/en/discussions/ in English).

Reading and writing (views.py), following and mentions (follow_views.py), moderation and reports
(moderation_views.py). Fixed words come before the spaces' own addresses, which may not take them
(signals.RESERVED_SLUGS)."""

from django.urls import path

import members.converters  # noqa: F401  (registers <id:...>)

from . import follow_views, moderation_views, views

app_name = "discussions"

urlpatterns = [
    path("discussions/", views.index, name="index"),
    path("discussions/questions/", views.unanswered, name="unanswered"),
    # Following and mentions
    path("discussions/suivis/", follow_views.following, name="following"),
    path("discussions/mentions/", follow_views.mention_candidates, name="mention_candidates"),
    path("discussions/ne-plus-suivre/<str:token>/", follow_views.unfollow_by_token, name="unfollow_token"),
    path("discussions/sujets/<id:thread_id>/suivre/", follow_views.follow_thread, name="follow_thread"),
    # Moderation
    path("discussions/signalements/", moderation_views.reports, name="reports"),
    path("discussions/signalements/<id:report_id>/", moderation_views.handle_report, name="handle_report"),
    path("discussions/sujets/<id:thread_id>/moderer/", moderation_views.moderate_thread, name="moderate_thread"),
    path("discussions/sujets/<id:thread_id>/deplacer/", moderation_views.move_thread, name="move_thread"),
    path("discussions/messages/<id:post_id>/masquer/", moderation_views.hide_post, name="hide_post"),
    path("discussions/messages/<id:post_id>/afficher/", moderation_views.unhide_post, name="unhide_post"),
    path("discussions/messages/<id:post_id>/signaler/", moderation_views.report_post, name="report_post"),
    # Reading and writing
    path("discussions/sujets/<id:thread_id>/", views.thread, name="thread"),
    path("discussions/sujets/<id:thread_id>/repondre/", views.reply, name="reply"),
    path("discussions/messages/<id:post_id>/", views.post_permalink, name="post"),
    path("discussions/messages/<id:post_id>/modifier/", views.edit_post, name="edit_post"),
    path("discussions/messages/<id:post_id>/supprimer/", views.delete_post, name="delete_post"),
    path("discussions/messages/<id:post_id>/historique/", views.post_history, name="post_history"),
    path("discussions/messages/<id:post_id>/solution/", views.mark_solution, name="mark_solution"),
    path("discussions/<slug:slug>/", views.space, name="space"),
    path("discussions/<slug:slug>/nouveau/", views.new_thread, name="new_thread"),
    path("discussions/<slug:slug>/suivre/", follow_views.follow_space, name="follow_space"),
]
