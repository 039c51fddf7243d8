"""Site-wide template helpers."""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from home.i18n import foreign_language, interface_url, language_links, localized_pages

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


@register.simple_tag
def content_lang(content):
    """` lang="fr"` on an element holding a page's content when it is not in the interface's language.

    Use it on the element itself: `<h1{% content_lang page %}>`. Nothing when the languages agree,
    so French pages under `/` carry no redundant attribute.
    """
    language = foreign_language(content) if content is not None else None
    return format_html(' lang="{}"', language) if language else ""


@register.simple_tag
def language_notice(content):
    """A short notice, in the interface's language, that this content is written in another one."""
    language = foreign_language(content) if content is not None else None
    if not language:
        return ""
    name = get_language_info(language)["name_translated"]
    return format_html(
        '<p class="notice notice--language" role="note" data-testid="language-notice">{}</p>',
        _("This page is in %(language)s.") % {"language": name},
    )


@register.simple_tag
def localized(page):
    """The page in the interface's language where it is translated (`{% localized page as page %}`)."""
    return localized_pages([page])[0] if page is not None else None


@register.simple_tag(takes_context=True)
def interface_pageurl(context, page):
    """Like `{% pageurl %}`, but a French page linked from `/en/` keeps the reader in English."""
    return interface_url(page, request=context.get("request"))


@register.simple_tag(takes_context=True)
def language_switch_links(context):
    """The language switcher's links, to the page's translation where it has one."""
    return language_links(context.get("request"), context.get("page"))
