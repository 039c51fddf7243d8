"""Site-wide template helpers."""

from django import template

register = template.Library()


@register.simple_tag
def breadcrumb_ancestors(page):
    """The page's ancestors below the site's home page, outermost first.

    Walks `get_parent()`, which Wagtail's routing has already cached on a served page (each page it
    passes through becomes the next one's parent): no query when serving, one per level in a preview.
    """
    ancestors = []
    parent = page.get_parent() if page is not None and page.depth > 2 else None
    while parent is not None and parent.depth > 2:  # depth 1 is the tree's root, 2 the site's home page
        ancestors.append(parent)
        parent = parent.get_parent()
    ancestors.reverse()
    return ancestors
