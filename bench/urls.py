"""Cercle's URLs plus `/bench/bare/`: the baseline of every ratio the benchmarks print.

A bare Django view that returns the same bytes as a typical Cercle page (the visitor's home page, rendered once
by the benchmark and written to the file named by BENCH_BARE_HTML) through the full middleware stack: what a
request costs the server and Django before any Cercle page work. The file is read once, at the first request.
"""

import os

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as cercle_urlpatterns

_body = None


def bare(request):
    global _body
    if _body is None:
        name = os.environ.get("BENCH_BARE_HTML", "")
        _body = open(name, "rb").read() if name else b"<!doctype html><title>bare</title>"  # noqa: SIM115
    return HttpResponse(_body, content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *cercle_urlpatterns]
