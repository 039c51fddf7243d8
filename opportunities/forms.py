from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

MESSAGE_MAX_LENGTH = 1000


class InterestForm(forms.Form):
    """A short word for the opportunity's contact: who the member is, and why they are interested."""

    message = forms.CharField(
        label=_("Your message to the contact"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say in a few lines what interests you and how you could contribute (at most 1,000 characters)."),
        error_messages={"required": _("Write a short message for the contact: what interests you, and why.")},
    )


class OpportunityForm(WagtailAdminPageForm):
    """An opportunity's documents are premium like its details: a file from a collection that basic members
    may download would leak through its address, whatever the page shows. Editors are told before they
    save, and pointed to the programme's own collection."""

    def clean(self):
        from members.access import collection_audience
        from members.models import Audience

        from .services import COLLECTION_NAME

        cleaned_data = super().clean()
        for block in cleaned_data.get("attachments") or []:
            document = block.value
            if document is None:
                continue
            audience, _group_id = collection_audience(document.collection_id)
            if audience in (Audience.PUBLIC, Audience.MEMBERS):
                # A non-field error: Wagtail's stream field widget expects errors per block.
                self.add_error(
                    None,
                    _(
                        "“%(title)s” is in a collection that basic members may download. Attach documents "
                        "from a premium collection, such as “%(collection)s”."
                    )
                    % {"title": document.title, "collection": COLLECTION_NAME},
                )
        return cleaned_data
