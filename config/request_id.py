"""A request id on every request, its response and every log line written while serving it.

The id comes from the proxy's `X-Request-ID` when it sends a sane one (so the proxy's log and Cercle's
match), else a new one; it goes back in the response's `X-Request-ID` header, and a logging filter puts
it on each record (`request_id`), which the JSON log format of production prints."""

import contextvars
import logging
import re
import uuid

_current = contextvars.ContextVar("cercle_request_id", default="-")
_SANE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id():
    return _current.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = given if _SANE.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        # Not reset on the way out: Django logs a refused request (4xx, 5xx) after the middleware has
        # answered, and that line belongs to this request too; the next request sets its own.
        _current.set(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Gives every record the id of the request being served ("-" outside a request)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = _current.get()
        return True
