"""StreamField blocks that editors compose the home page and the club's pages with."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section heading")), ("h3", _("Subheading"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "home/blocks/heading.html"
        preview_value = {"text": "Nos missions", "level": "h2"}


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Heading"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Or external address"), required=False)
    button_label = blocks.CharBlock(label=_("Button label"), max_length=60)

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "home/blocks/call_to_action.html"
        preview_value = {
            "title": "Rejoindre le club",
            "text": "Le club accueille ses membres sur invitation.",
            "url": "https://example.org/",
            "button_label": "Demander une invitation",
        }

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": blocks.BlockValidationError(_("Choose a page or an address."))}
            )
        return value


class HighlightedPagesBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Heading"), max_length=120, required=False)
    pages = blocks.ListBlock(blocks.PageChooserBlock(), label=_("Pages"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Highlighted pages")
        template = "home/blocks/highlighted_pages.html"

    def get_context(self, value, parent_context=None):
        """Show only the live pages that this viewer may know exist, in the editor's order."""
        from wagtail.models import Page

        from members.access import pages_visible_to

        from .i18n import localized_pages

        context = super().get_context(value, parent_context=parent_context)
        # Under /en/ each page is its English translation where it has one.
        chosen = localized_pages(page for page in value["pages"] if page is not None)
        request = (parent_context or {}).get("request")
        allowed = Page.objects.filter(pk__in=[page.pk for page in chosen]).live()
        visible = set(pages_visible_to(request, allowed).values_list("pk", flat=True))
        context["pages"] = [page for page in chosen if page.pk in visible]
        return context


class StoryBlock(blocks.StreamBlock):
    """The body blocks shared by the home page and the club's standard pages."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        features=["h3", "bold", "italic", "link", "ol", "ul", "blockquote"],
        icon="pilcrow",
        template="home/blocks/paragraph.html",
    )
    call_to_action = CallToActionBlock()
    highlighted_pages = HighlightedPagesBlock()

    class Meta:
        template = "home/blocks/story.html"
