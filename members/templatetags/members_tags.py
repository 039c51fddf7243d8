"""Template helpers of the members app, for every app's templates."""

from django import template

from members.services import person_name as _person_name

register = template.Library()


@register.filter
def person_name(user):
    """A person as the club names them, everywhere a name is shown: `{{ user|person_name }}`.

    The name reads the profile: lists of people load it with the user (`select_related("user__profile")`)."""
    return _person_name(user) if user else ""
