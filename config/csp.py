"""The Content-Security-Policy: strict on the public site, relaxed for the admin.

The public site's templates carry no inline script or style, so its policy allows only files from
the site itself. Wagtail's admin (its editor, choosers and preview panel) still writes inline
scripts and `style` attributes and shows the page preview in a frame of its own, so requests under
the admin's prefixes get CONTENT_SECURITY_POLICY_ADMIN instead. Which policy applies is chosen
by path, here, rather than by decorating each of Wagtail's many views.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


def is_admin_path(path):
    return path.startswith(tuple(settings.CSP_ADMIN_PATH_PREFIXES))


class CercleCSPMiddleware(CSPMiddleware):
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
