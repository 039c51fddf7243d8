"""Cercle's access policy: the only place that decides who sees what (DESIGN.md, the contract).

Everything that lists or serves content asks this module. The membership issue gives it tiers,
groups and teasers; until then it knows one line: visitors see the pages Wagtail's own privacy leaves
public, people who have logged in see the rest.
"""


def pages_visible_to(request, queryset):
    """Filter a page queryset down to the pages the person behind `request` may know exist."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return queryset
    return queryset.public()
