"""Template helpers of the knowledge pages and of the article body blocks (shared with the watch)."""

from django import template

from knowledge.blocks import heading_anchor as _heading_anchor

register = template.Library()


@register.simple_tag
def heading_anchor(text, position):
    """The `id` of a heading, as `table_of_contents()` links to it: {% heading_anchor text forloop.counter %}."""
    return _heading_anchor(text, position)


@register.simple_tag(takes_context=True)
def watch_url(context):
    """The technology watch's address, for links to its filters from elsewhere (a guide's clusters)."""
    from knowledge.models import TechWatchIndexPage

    index = TechWatchIndexPage.objects.live().only("pk", "url_path", "path", "depth", "locale_id").first()
    return index.get_url(context.get("request")) if index else ""
