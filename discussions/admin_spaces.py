"""The staff's "Espaces de discussion" in the Wagtail admin: club-wide spaces are created here; every space's
description, address, position and who writes in it are edited here.

A group's space is created with the group (discussions.signals) and named after it; its audiences are
always its group's, never chosen here. Spaces are not deleted from the admin: a space holds members'
conversations, and a group's space goes with its group."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Space
from .signals import RESERVED_SLUGS


class SpaceForm(WagtailAdminModelForm):
    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This address is taken by the discussions' own pages; choose another."))
        return slug


class SpaceViewSet(ModelViewSet):
    model = Space
    icon = "comment"
    menu_label = _("Discussion spaces")
    menu_order = 260
    add_to_admin_menu = True
    url_prefix = "discussions/espaces"
    name = "discussion_spaces"
    list_display = ["title", "group", "posting", "thread_count", "post_count", "last_activity_at"]
    list_filter = ["posting"]
    search_fields = ["title", "description"]
    ordering = ["position", "title"]
    edit_handler = ObjectList(
        [
            FieldPanel("title", help_text=_("A group's space takes its group's title when the group is renamed.")),
            FieldPanel("slug"),
            FieldPanel("description"),
            FieldPanel("posting"),
            FieldPanel("position"),
        ],
        base_form_class=SpaceForm,
    )
    inspect_view_enabled = False
