"""What every page's head says about the club: its name in the title, a description for search engines.

The club's name comes from ClubSettings, never from the request's host or from a `site_name` a view
puts in its context (Django's log-in view puts the host there).
"""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from wagtail.models import Site

from home.context_processors import footer_version
from home.models import ClubSettings

register = template.Library()

DESCRIPTION_LENGTH = 200


def _club_for_site(site):
    """The club's name and tagline, cached like the footer: saving the club's settings renews them."""
    key = f"cercle:club-identity:{site.pk if site else 0}:{footer_version()}"
    identity = cache.get(key)
    if identity is None:
        club = ClubSettings.for_site(site) if site else None
        identity = {
            "name": (club.club_name if club else "") or settings.WAGTAIL_SITE_NAME,
            "tagline": club.tagline if club else "",
        }
        cache.set(key, identity, 300)
    return identity


@register.simple_tag(takes_context=True)
def club_identity(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    return _club_for_site(site)


@register.filter(is_safe=True)
def with_club_name(title, club_name):
    """'Page title · Cercle', or the club's name alone when a page has no title of its own."""
    # Escaped unless already safe: `{% filter %}` hands it the rendered (escaped) block; a plain string
    # given to the filter elsewhere must not reach the page raw.
    title = conditional_escape(title).strip()
    name = conditional_escape(club_name)
    return mark_safe(f"{title} · {name}" if title else name)


@register.simple_tag
def page_description(page, fallback):
    """The page's search description, else its summary, else the club's tagline."""
    for field in ("search_description", "summary"):
        text = (getattr(page, field, "") or "").strip() if page is not None else ""
        if text:
            return Truncator(" ".join(text.split())).chars(DESCRIPTION_LENGTH)
    return fallback
