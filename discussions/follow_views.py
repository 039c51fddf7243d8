"""Placeholder until its helper writes it."""

from django.http import Http404


def following(request, **kwargs):
    raise Http404


def mention_candidates(request, **kwargs):
    raise Http404


def unfollow_by_token(request, **kwargs):
    raise Http404


def follow_thread(request, **kwargs):
    raise Http404


def follow_space(request, **kwargs):
    raise Http404
