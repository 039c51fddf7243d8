"""What every discussions view starts with: the thread or post of the address (404 when there is none),
loaded with what its pages show, and the policy's refusal when the viewer may not read its space."""

from django.http import Http404

from members.gates import denial_response

from . import services
from .models import Post, Thread


def thread_or_404(thread_id):
    thread = (
        Thread.objects.select_related(
            "space", "space__group", "author__profile", "solution__author__profile", "solution__quoted__author__profile"
        )
        .filter(pk=thread_id)
        .first()
    )
    if thread is None:
        raise Http404
    return thread


def post_or_404(post_id):
    post = (
        Post.objects.select_related("thread", "thread__space", "thread__space__group", "author__profile")
        .filter(pk=post_id)
        .first()
    )
    if post is None:
        raise Http404
    return post


def gate(request, viewer, space, next_url=None):
    """None when the viewer may read the space, else the policy's refusal (404, log in, 403); `next_url` is
    where logging in leads back (a POST-only address would answer 405 to the browser coming back)."""
    decision = services.decision(viewer, space)
    if not decision.full:
        return denial_response(request, decision, next_url)
    return None
