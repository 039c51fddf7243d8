"""The forms members write with. The checks that matter (who may write, the text's length, rate limits,
duplicate submissions) are the services'; these forms only read the fields and keep them for a
re-display. Attachments are read from request.FILES by discussions.attachments."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _


def new_submission_key():
    return uuid.uuid4().hex


class _Text(forms.Form):
    source = forms.CharField(
        label=_("Message"),
        strip=False,
        required=False,  # an empty text is the service's clear refusal, with the other fields kept
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    submission_key = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.initial.get("submission_key"):
            self.initial["submission_key"] = new_submission_key()

    def clean_submission_key(self):
        key = self.cleaned_data.get("submission_key") or ""
        return "".join(c for c in key if c.isalnum() or c == "-")[:40]


class ThreadForm(_Text):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    is_question = forms.BooleanField(
        label=_("This is a question (a reply can be marked as its solution)"), required=False
    )

    field_order = ["title", "source", "is_question", "submission_key"]


class ReplyForm(_Text):
    quoted = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    def clean_quoted(self):
        return self.cleaned_data.get("quoted") or None


class EditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    source = forms.CharField(label=_("Message"), strip=False, required=False, widget=forms.Textarea(attrs={"rows": 10}))
