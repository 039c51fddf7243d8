"""The Content-Security-Policy: strict on the public site, relaxed for the admin.

The public site's templates carry no inline script or style, so its policy allows only files from
the site itself. Wagtail's admin (its editor, choosers and preview panel) still writes inline
scripts and `style` attributes and shows the page preview in a frame of its own, so requests under
the admin's prefixes get CONTENT_SECURITY_POLICY_ADMIN instead. Which policy applies is chosen
by path, here, rather than by decorating each of Wagtail's many views.
"""

from csp.constants import HEADER
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


def is_admin_path(path):
    return path.startswith(tuple(settings.CSP_ADMIN_PATH_PREFIXES))


class CercleCSPMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if is_admin_path(request.path_info) and HEADER in response:
            # Wagtail renders a preview by sending a request for the page's public address through
            # the whole middleware stack, so the page comes back with the public policy, whose
            # frame-ancestors 'none' would keep it out of the admin's preview panel.
            del response[HEADER]
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and is_admin_path(request.path_info):
            parts = PolicyParts(
                config=settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"],
                update=parts.update,
                replace=parts.replace,
                nonce=parts.nonce,
            )
        return parts
