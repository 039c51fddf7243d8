"""The leads' admin widgets: people of the group chosen by their names."""

from django import forms


class PeopleChooser(forms.CheckboxSelectMultiple):
    """A list of people labelled by their names, with a search box that narrows it as one types.

    Without JavaScript every name stays listed and ticking still works; the script only hides the names
    that do not match."""

    template_name = "working_groups/widgets/people_chooser.html"

    class Media:
        js = ["working_groups/people_chooser.js"]
        css = {"all": ["working_groups/people_chooser.css"]}
