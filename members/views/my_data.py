""" "Mes données": what the club holds about a person, and all of it in one archive (GDPR's right of access).

For anyone with an account, members whose membership ended included: their data is theirs either way.
The download is a POST: it leaves an entry in the audit log, and a link on another site must not make
someone's browser fetch their archive.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from wagtail.log_actions import log

from .. import personal_data
from ..access import Viewer
from ..privacy import no_store
from ..privacy_services import EXPORT_ACTION


def archive_filename(day=None):
    return f"cercle-mes-donnees-{(day or timezone.localdate()).isoformat()}.zip"


@no_store
@require_http_methods(["GET", "HEAD", "POST"])
def my_data(request):
    if not Viewer.for_request(request).is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.method == "POST":
        content = personal_data.build_archive(request.user)
        parts = [part.name for part in personal_data.registered_parts()]
        log(request.user, EXPORT_ACTION, user=request.user, data={"parts": parts})
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{archive_filename()}"'
        return response
    return render(
        request,
        "members/my_data.html",
        {"parts": personal_data.registered_parts(), "retention_years": settings.CERCLE_RETENTION_YEARS},
    )


urlpatterns = [path("compte/mes-donnees/", my_data, name="my_data")]
