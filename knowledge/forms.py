from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

EMPTY_BODY = _("A watch article is published with its body: write the body, or save it as a draft.")


class WatchArticleForm(WagtailAdminPageForm):
    """A watch article may wait as a draft with no body (drafts made from the inbox start that way), but
    it is not published, nor sent for review, without one.

    Wagtail defers required fields on "save draft" (and autosave, preview) only; every other action,
    publishing and submitting among them, validates in full."""

    def clean(self):
        cleaned_data = super().clean()
        if not self.is_deferred_validation and "body" in self.fields and not cleaned_data.get("body"):
            self.add_error("body", EMPTY_BODY)
        return cleaned_data
