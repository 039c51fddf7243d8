"""Blocks of an event's programme: timed sessions and free text."""

import datetime

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class SessionBlock(blocks.StructBlock):
    """One slot of the programme: a time, a title, who speaks."""

    start_time = blocks.TimeBlock(label=_("Start"), required=False)
    end_time = blocks.TimeBlock(label=_("End"), required=False)
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    speaker = blocks.CharBlock(label=_("Speaker"), max_length=200, required=False)
    description = blocks.TextBlock(label=_("Description"), required=False)

    class Meta:
        icon = "time"
        label = _("Session")
        template = "events/blocks/session.html"
        preview_value = {
            "start_time": datetime.time(9, 30),
            "end_time": datetime.time(10, 15),
            "title": "Souveraineté numérique : où en sont les DSI belges ?",
            "speaker": "Claire Dumont",
        }


class ProgrammeBlock(blocks.StreamBlock):
    session = SessionBlock()
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        block_counts = {}
