"""The member dashboard's panels: what a content app gives to the `cercle_dashboard_panels` Wagtail hook.

members cannot import the content apps, so each one registers its panel in its own `wagtail_hooks.py`:

    @hooks.register(DASHBOARD_PANELS_HOOK)
    def my_panel():
        return Panel("my_panel", "app/panels/my_panel.html", get_context, order=10)

`home` reads the hook and renders the panels by `order`. `get_context(request, viewer)` returns the
panel's context, or None to leave the panel out; every panel template reads that context under `panel`
(`{{ panel.title }}`). Every panel that lists content must filter it through the access policy.
"""

import dataclasses

DASHBOARD_PANELS_HOOK = "cercle_dashboard_panels"


@dataclasses.dataclass(frozen=True)
class Panel:
    name: str
    template: str
    get_context: object  # callable(request, viewer) -> dict | None
    order: int = 100
