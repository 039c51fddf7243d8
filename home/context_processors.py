from django.core.cache import cache
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from members.access import pages_visible_to


def _menu_pages(request):
    site = Site.find_for_request(request)
    if site is None:
        return []
    children = site.root_page.get_children().live().in_menu()
    return list(pages_visible_to(request, children))


def _language_links(request):
    from django.conf import settings

    return [
        {"code": code, "name": name, "url": translate_url(request.get_full_path(), code)}
        for code, name in settings.LANGUAGES
    ]


FOOTER_VERSION_KEY = "cercle:footer-version"


def footer_version():
    return cache.get_or_set(FOOTER_VERSION_KEY, 1, timeout=None)


def bump_footer_version(**kwargs):
    """The cached footer is rebuilt after the club's settings or any page changes."""
    try:
        cache.incr(FOOTER_VERSION_KEY)
    except ValueError:
        cache.set(FOOTER_VERSION_KEY, 1, timeout=None)


def site_chrome(request):
    """Header navigation, language links and the footer's cache version, computed only if used."""
    return {
        "menu_pages": SimpleLazyObject(lambda: _menu_pages(request)),
        "language_links": SimpleLazyObject(lambda: _language_links(request)),
        "footer_version": SimpleLazyObject(footer_version),
    }
