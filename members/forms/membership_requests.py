from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import MembershipRequest

MESSAGE_MAX_LENGTH = MembershipRequest._meta.get_field("message").max_length


class MembershipRequestForm(forms.Form):
    """All the secretariat needs is known already; the member may add a word, nothing more."""

    message = forms.CharField(
        label=_("A message for the secretariat (optional)"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("At most %(count)s characters.") % {"count": MESSAGE_MAX_LENGTH},
    )
