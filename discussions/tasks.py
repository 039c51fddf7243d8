"""E-mails of the discussions, run by django-tasks after the commit (at once by default, by the worker in
production). The work itself is in discussions/notifications.py."""

from django_tasks import task


@task()
def notify_post(post_id):
    """Tell the mentioned members and the followers of a new (or newly mentioning) post."""
    from .notifications import post_written

    post_written(post_id)


@task()
def notify_solution(post_id, by_id):
    """Tell a reply's author that it solved the question."""
    from .notifications import solution_marked

    solution_marked(post_id, by_id)


@task()
def notify_hidden(post_id):
    """Tell a post's author that a moderator hid it, and why."""
    from .notifications import post_hidden

    post_hidden(post_id)
