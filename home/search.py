"""What the search finds among the club's own pages, and the text helpers every content app indexes with.

The helpers turn rich text and StreamField bodies into plain words: the search matches what a reader
reads, not markup, block names or the labels of choices ("Section heading", "To do").
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.rich_text import RichText, get_text_for_indexing

from search.registry import PageIndexer, register

from .models import HomePage, StandardPage

# Blocks whose value is not text a person would search for: a level, a status, a link, a chosen page.
_NOT_TEXT = (blocks.ChoiceBlock, blocks.DateBlock, blocks.URLBlock, blocks.BooleanBlock, blocks.ChooserBlock)


def rich_text(value):
    """Plain text of a rich text field or block value (HTML stripped, block elements kept apart)."""
    if not value:
        return ""
    source = value.source if isinstance(value, RichText) else str(value)
    return get_text_for_indexing(source)


def block_text(block, value):
    """The words of one block's value, as a list of strings."""
    if value is None or isinstance(block, _NOT_TEXT):
        return []
    if isinstance(block, blocks.StreamBlock):
        return stream_text(value)
    if isinstance(block, blocks.StructBlock):
        return [text for name, child in block.child_blocks.items() for text in block_text(child, value.get(name))]
    if isinstance(block, blocks.ListBlock):
        return [text for item in value for text in block_text(block.child_block, item)]
    if isinstance(block, blocks.RichTextBlock):
        return [rich_text(value)]
    return [str(text) for text in block.get_searchable_content(value) if text]


def stream_text(stream):
    """The words of a StreamField value, block after block."""
    if not stream:
        return []
    return [text for child in stream for text in block_text(child.block, child.value)]


class SectionIndexer(PageIndexer):
    """A section's front page (the watch, the agenda, the opportunities…): its title and introduction
    lead to the section. Content apps subclass it with their model, kind and section."""

    def teaser(self, page):
        return [page.search_description, rich_text(page.introduction)]


@register
class HomePageIndexer(PageIndexer):
    """The front door: its hero and mission say what the club is."""

    model = HomePage
    kind = "home"
    label = _("Home page")
    section = "club"
    section_label = _("The club")

    def teaser(self, page):
        return [page.search_description, page.hero_title, page.hero_text, rich_text(page.mission)]

    def body(self, page):
        return stream_text(page.body)


@register
class StandardPageIndexer(PageIndexer):
    """ "Le club", "Gouvernance", "Contact" and the pages editors keep for members."""

    model = StandardPage
    kind = "page"
    label = _("Page")
    section = "club"
    section_label = _("The club")

    def teaser(self, page):
        return [page.search_description, page.introduction]

    def body(self, page):
        return stream_text(page.body)
