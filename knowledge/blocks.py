"""The blocks that technology-watch and knowledge-base articles are written with."""

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock

from home.blocks import HeadingBlock

PARAGRAPH_FEATURES = ["h3", "bold", "italic", "link", "ol", "ul", "blockquote", "code"]


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quotation"))
    attribution = blocks.CharBlock(label=_("Attribution"), max_length=200, required=False)

    class Meta:
        icon = "openquote"
        label = _("Quotation")
        template = "knowledge/blocks/quote.html"


class CodeBlock(blocks.StructBlock):
    language = blocks.CharBlock(label=_("Language"), max_length=40, required=False, help_text=_("e.g. python, sql"))
    code = blocks.TextBlock(label=_("Code"))

    class Meta:
        icon = "code"
        label = _("Code")
        template = "knowledge/blocks/code.html"


class DocumentBlock(blocks.StructBlock):
    """A document shown inside the text; it is downloaded through the permission-checked view."""

    document = DocumentChooserBlock(label=_("Document"))
    caption = blocks.CharBlock(label=_("Caption"), max_length=200, required=False)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "knowledge/blocks/document.html"


class ArticleBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"), features=PARAGRAPH_FEATURES, icon="pilcrow", template="home/blocks/paragraph.html"
    )
    quote = QuoteBlock()
    code = CodeBlock()
    table = TableBlock(label=_("Table"), template="knowledge/blocks/table.html")
    document = DocumentBlock()

    class Meta:
        template = "knowledge/blocks/body.html"


def heading_anchor(text, position):
    """A stable anchor for a heading: its words, and its position so two equal headings differ."""
    return f"{slugify(text) or 'section'}-{position}"


def table_of_contents(body):
    """[(anchor, text, level)] of an article's headings, in order; the body template uses the same anchors."""
    entries = []
    for position, block in enumerate(body, start=1):
        if block.block_type == "heading":
            entries.append((heading_anchor(block.value["text"], position), block.value["text"], block.value["level"]))
    return entries


def word_count(body):
    """The number of words a reader goes through, for the reading time."""
    from django.utils.html import strip_tags

    words = 0
    for block in body:
        value = block.value
        if block.block_type == "paragraph":
            text = strip_tags(value.source if hasattr(value, "source") else str(value))
        elif block.block_type == "heading":
            text = value["text"]
        elif block.block_type == "quote":
            text = value["text"]
        elif block.block_type == "code":
            text = value["code"]
        else:
            continue
        words += len(text.split())
    return words
