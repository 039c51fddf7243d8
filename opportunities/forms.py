from django import forms
from django.utils.translation import gettext_lazy as _

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
