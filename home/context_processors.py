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


def site_chrome(request):
    """Header navigation and language links, computed only if a template uses them."""
    return {
        "menu_pages": SimpleLazyObject(lambda: _menu_pages(request)),
        "language_links": SimpleLazyObject(lambda: _language_links(request)),
    }
