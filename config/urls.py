from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponseRedirect
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from members.urls import auth_urlpatterns as members_auth_urls

from .health import healthz


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the SVG icon.

    Not a permanent redirect: the icon's address changes with its content in production.
    """
    return HttpResponseRedirect(static_url("favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    path("healthz", healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", set_language, name="set_language"),
]

# The public site speaks French at / and English under /en/ (the language switcher links the two).
urlpatterns += i18n_patterns(
    path("", include(members_auth_urls)),
    path("", include("members.urls", namespace="members")),
    path("", include("working_groups.urls", namespace="working_groups")),
    path("", include("knowledge.urls", namespace="knowledge")),
    path("", include("events.urls", namespace="events")),
    path("", include("opportunities.urls", namespace="opportunities")),
    path("", include("discussions.urls", namespace="discussions")),
    path("", include("search.urls", namespace="search")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    # Only image renditions: documents never leave through a media URL, even in development.
    urlpatterns = static(f"{settings.MEDIA_URL}images/", document_root=settings.MEDIA_ROOT / "images") + urlpatterns
