"""A request body larger than any form of the site can use is refused at the door (413), before Django
reads it: the largest legitimate one is a discussion post with its files (5 × 10 MB by default) or a
document in the admin (20 MB). CERCLE_MAX_REQUEST_MB bounds it; a front proxy should refuse the same
(nginx's client_max_body_size, README)."""

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.CERCLE_MAX_REQUEST_MB * 1024 * 1024
        if length > limit:
            message = _("This request is too large: the site accepts at most %(limit)s MB at once.") % {
                "limit": settings.CERCLE_MAX_REQUEST_MB
            }
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
