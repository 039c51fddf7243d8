"""What the events app holds about a person, for "Mes données" and for anonymisation (members/personal_data.py)."""

from django.utils.translation import gettext_lazy as _

from members.personal_data import PersonalData, register_personal_data


def export(user):
    from .models import Registration

    registrations = (
        Registration.objects.filter(user=user)
        .select_related("event")
        .only("state", "registered_at", "confirmed_at", "cancelled_at", "event__title", "event__starts_at")
        .order_by("registered_at", "pk")
    )
    return [
        {
            "event": registration.event.title,
            "starts_at": registration.event.starts_at,
            "state": registration.state,
            "registered_at": registration.registered_at,
            "confirmed_at": registration.confirmed_at,
            "cancelled_at": registration.cancelled_at,
        }
        for registration in registrations
    ]


def anonymise(user):
    """Nothing to erase: a registration holds no free text, only who came to what and when. The rows stay
    (the event's attendance counts and the organisers' history hold), and once the person's account is
    anonymised they no longer name anyone."""


def register():
    register_personal_data(
        PersonalData(name="event_registrations", label=_("Event registrations"), export=export, anonymise=anonymise)
    )
