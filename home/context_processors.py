from django.core.cache import cache
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from wagtail.models import Site

from members.access import Viewer, filter_pages

from .i18n import foreign_language, interface_url, localized_pages


def _menu_pages(request):
    """The home page's children in the menu that this viewer may know of.

    Cached by what the viewer is entitled to (Viewer.kind), never by who they are, so that members
    share entries safely; any publication or settings change starts a new version.
    """
    site = Site.find_for_request(request)
    if site is None:
        return []
    viewer = Viewer.for_request(request)
    key = f"cercle:menu:{site.pk}:{get_language()}:{viewer.kind_key}:{footer_version()}"
    items = cache.get(key)
    if items is None:
        # The menu is the default language's tree, each entry swapped for its translation where one exists.
        children = localized_pages(filter_pages(viewer, site.root_page.get_children().live().in_menu()))
        items = [
            {"title": p.title, "url": interface_url(p), "url_path": p.url_path, "lang": foreign_language(p)}
            for p in children
        ]
        cache.set(key, items, 300)
    return items


def _site_name(request):
    site = Site.find_for_request(request)
    return (site.site_name if site else "") or "Cercle"


def footer_version():
    """The version of the menu, footer and other fragments built from pages and the club's settings: the
    page cache's pages stamp (members/entitlements.py), which every web process shares and which any
    publication, move, deletion, audience or settings change renews."""
    from members.entitlements import PAGES_STAMP, read_stamps

    return read_stamps(PAGES_STAMP)[0]


def site_chrome(request):
    """Header navigation and the footer's cache version, computed only if used."""
    return {
        "menu_pages": SimpleLazyObject(lambda: _menu_pages(request)),
        "footer_version": SimpleLazyObject(footer_version),
        "site_name": SimpleLazyObject(lambda: _site_name(request)),
    }
