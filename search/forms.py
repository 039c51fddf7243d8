"""The results page's GET form: what a person typed and the filters they picked, validated.

A filter value the form does not know (a hand-edited address, a kind that no longer exists) is dropped,
never an error: the page then answers the search without it. The facet values (cluster, topic,
group) are only checked for their shape, not looked up: whether a value exists must not depend on
who asks (a private group's id would otherwise be confirmed by the page's behaviour).
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from . import registry
from .engines.base import FACETS, PERIODS, SORTS

FILTERS = ("kind", "section", *FACETS, "period")
_FACET_VALUE = re.compile(r"^[^\x00-\x1f\x7f]{1,100}$")  # a slug, an id or a name: no control characters

PERIOD_LABELS = {
    "week": _("Last week"),
    "month": _("Last month"),
    "year": _("Last year"),
}
SORT_LABELS = {"relevance": _("Relevance"), "date": _("Date")}


def kind_choices():
    return [(indexer.kind, indexer.label) for indexer in registry.indexers()]


def section_choices():
    return list(registry.sections().items())


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the club"), required=False, strip=True)
    kind = forms.CharField(required=False)
    section = forms.CharField(required=False)
    cluster = forms.CharField(required=False)
    topic = forms.CharField(required=False)
    group = forms.CharField(required=False)
    period = forms.CharField(required=False)
    sort = forms.CharField(required=False)
    page = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A NUL byte in the query is cleaned by search.query like any control character; the field's
        # own validator would throw the whole query away instead.
        self.fields["q"].validators = []

    def _choice(self, name, allowed):
        value = self.cleaned_data.get(name) or ""
        return value if value in allowed else ""

    def clean_kind(self):
        return self._choice("kind", {kind for kind, _label in kind_choices()})

    def clean_section(self):
        return self._choice("section", {code for code, _label in section_choices()})

    def clean_period(self):
        return self._choice("period", PERIODS)

    def clean_sort(self):
        return self._choice("sort", SORTS) or "relevance"

    def _facet(self, name):
        value = self.cleaned_data.get(name) or ""
        return value if _FACET_VALUE.match(value) else ""

    def clean_cluster(self):
        return self._facet("cluster")

    def clean_topic(self):
        return self._facet("topic")

    def clean_group(self):
        value = self._facet("group")
        return value if value.isdigit() else ""

    def clean_page(self):
        value = (self.cleaned_data.get("page") or "").strip()
        return int(value) if value.isdigit() and 0 < len(value) < 7 and int(value) > 0 else 1

    def search_parameters(self):
        """(text, filters, sort, page) from a bound form; every field is optional, so it is always valid."""
        self.is_valid()
        data = self.cleaned_data
        filters = {name: data.get(name, "") for name in FILTERS if data.get(name)}
        return data.get("q", ""), filters, data.get("sort") or "relevance", data.get("page") or 1
