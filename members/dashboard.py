"""The member dashboard's panels. Content apps register theirs here; `home` renders them.

members cannot import the content apps, so each one brings its panel to this registry (from its
AppConfig.ready or wagtail_hooks): a template and a function returning its context, or None to skip.
Every panel that lists content must filter it through the access policy.
"""

import dataclasses


@dataclasses.dataclass(frozen=True)
class Panel:
    name: str
    template: str
    get_context: object  # callable(request, viewer) -> dict | None
    order: int = 100


_panels = {}


def register_panel(name, template, get_context, order=100):
    _panels[name] = Panel(name, template, get_context, order)


def panels_for(request, viewer):
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.name)):
        context = panel.get_context(request, viewer)
        if context is not None:
            shown.append({"template": panel.template, "context": context, "name": panel.name})
    return shown
