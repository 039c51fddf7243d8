"""Placeholder until its helper writes it."""

from django.http import Http404


def reports(request, **kwargs):
    raise Http404


def handle_report(request, **kwargs):
    raise Http404


def moderate_thread(request, **kwargs):
    raise Http404


def move_thread(request, **kwargs):
    raise Http404


def hide_post(request, **kwargs):
    raise Http404


def unhide_post(request, **kwargs):
    raise Http404


def report_post(request, **kwargs):
    raise Http404
