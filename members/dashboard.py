"""The member dashboard's panels: what a content app gives to the `cercle_dashboard_panels` Wagtail hook.

members cannot import the content apps, so each one registers its panel in its own `wagtail_hooks.py`:

    @hooks.register(DASHBOARD_PANELS_HOOK)
    def my_panel():
        return Panel("my_panel", "app/panels/my_panel.html", get_context, order=10)

`home` reads the hook and renders the panels by `order`. `get_context(request, viewer)` returns the
panel's context, or None to leave the panel out; every panel template reads that context under `panel`
(`{{ panel.title }}`). Every panel that lists content must filter it through the access policy.

The dashboard is personal through and through, so it is never kept whole by the page cache; a panel whose
context depends only on what the viewer is entitled to (the newest articles they may read, say, but not
their own registrations) says `per_kind=True`, and its context is then kept per `Viewer.kind` until the
pages change or the day turns (`context_for`). A panel that is per kind for some viewers only (staff see
their own groups, yet all staff share one kind) gives a function of the viewer instead.
"""

import dataclasses

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

DASHBOARD_PANELS_HOOK = "cercle_dashboard_panels"


@dataclasses.dataclass(frozen=True)
class Panel:
    name: str
    template: str
    get_context: object  # callable(request, viewer) -> dict | None
    order: int = 100
    # The same context for every viewer of a kind: kept (see above). True, or callable(viewer) -> bool.
    per_kind: object = False


_NOTHING = "nothing"  # a panel left out is kept too (None would read as "not kept")


def context_for(panel, request, viewer):
    """The panel's context for this viewer, from the cache when the panel allows it."""
    seconds = settings.CERCLE_PAGE_CACHE_SECONDS
    per_kind = panel.per_kind(viewer) if callable(panel.per_kind) else panel.per_kind
    if not per_kind or not seconds:
        return panel.get_context(request, viewer)
    from .entitlements import PAGES_STAMP, read_stamps

    (pages_stamp,) = read_stamps(PAGES_STAMP)
    # The day too: panels list what closes or starts from today.
    day = timezone.localdate().isoformat()
    key = f"cercle:panel:{panel.name}:{pages_stamp}:{day}:{get_language()}:{viewer.kind_key}"
    context = cache.get(key)
    if context is None:
        context = panel.get_context(request, viewer)
        cache.set(key, _NOTHING if context is None else context, seconds)
    return None if context == _NOTHING else context
