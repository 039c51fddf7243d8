"""The member dashboard's "My registrations" panel: upcoming events the viewer is registered or waiting for."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.access import filter_pages

from .models import EventPage, Registration

State = Registration.State
SHOWN = 10


def my_registrations(request, viewer):
    """One query: the registrations, each waiting position computed by the database. A member with no
    upcoming registration gets no panel (the agenda is in the menu; every dashboard pays for this one
    query only)."""
    if not viewer.is_authenticated or not (viewer.is_member or viewer.is_staff):
        return None
    ahead = (
        Registration.objects.filter(event_id=OuterRef("event_id"), state=State.WAITING)
        .filter(
            Q(registered_at__lt=OuterRef("registered_at"))
            | Q(registered_at=OuterRef("registered_at"), pk__lt=OuterRef("pk"))
        )
        .values("event_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # An event the policy no longer lets the viewer know (a group they left) drops out of the panel.
    known = filter_pages(viewer, EventPage.objects.live()).values("pk")
    registrations = list(
        Registration.objects.filter(
            user=viewer.user,
            state__in=[State.CONFIRMED, State.WAITING],
            event__ends_at__gt=timezone.now(),
            event__in=known,
        )
        .select_related("event")
        .defer("event__body", "event__programme")
        .annotate(ahead=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)))
        .order_by("event__starts_at", "pk")[:SHOWN]
    )
    for registration in registrations:
        registration.position = registration.ahead + 1 if registration.state == State.WAITING else None
    if not registrations:
        return None
    return {"title": _("My registrations"), "registrations": registrations}
