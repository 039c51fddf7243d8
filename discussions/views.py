"""Placeholder until its helper writes it."""

from django.http import Http404


def index(request, **kwargs):
    raise Http404


def unanswered(request, **kwargs):
    raise Http404


def thread(request, **kwargs):
    raise Http404


def reply(request, **kwargs):
    raise Http404


def post_permalink(request, **kwargs):
    raise Http404


def edit_post(request, **kwargs):
    raise Http404


def delete_post(request, **kwargs):
    raise Http404


def post_history(request, **kwargs):
    raise Http404


def mark_solution(request, **kwargs):
    raise Http404


def space(request, **kwargs):
    raise Http404


def new_thread(request, **kwargs):
    raise Http404
