"""Blocks of meeting notes: decisions and action items."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class DecisionBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Decision"))

    class Meta:
        icon = "tick"
        label = _("Decision")
        template = "working_groups/blocks/decision.html"
        preview_value = {"text": "Le groupe adopte la grille d'évaluation des prestataires cloud."}


class ActionItemBlock(blocks.StructBlock):
    STATUS = [("open", _("To do")), ("in_progress", _("In progress")), ("done", _("Done"))]

    description = blocks.CharBlock(label=_("Action"), max_length=300)
    owner = blocks.CharBlock(label=_("Owner"), max_length=120, help_text=_("Who carries it out."))
    due_date = blocks.DateBlock(label=_("Due date"), required=False)
    status = blocks.ChoiceBlock(label=_("Status"), choices=STATUS, default="open")

    class Meta:
        icon = "date"
        label = _("Action item")
        template = "working_groups/blocks/action_item.html"
        preview_value = {"description": "Rédiger la note de synthèse", "owner": "Luc Gérard", "status": "open"}


class OutcomeBlock(blocks.StreamBlock):
    decision = DecisionBlock()
    action_item = ActionItemBlock()
