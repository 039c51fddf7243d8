"""What an event's page shows the person looking at it: all of it or the teaser, the viewer's
registration and the registration box (register, cancel, waiting-list position, or why not).

Called from EventPage.get_context; the policy's decision comes from the `on_serve_page` hook
(members/wagtail_hooks.py) when the page is served, and is asked here in previews.
"""

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from members.access import Decision, Viewer, decide
from members.models import Tier
from members.privacy import keep_out_of_caches

from . import services
from .models import Registration

# The registration box's answer to "why can't I register?", by the refusal's reason.
BOX_REASONS = {
    Decision.LOGIN: "login",
    Decision.CHARTER: "charter",
}


def _box_reason(viewer, event, registration):
    """None when the viewer may register now, else a short word the template explains."""
    if registration is not None and registration.state != Registration.State.CANCELLED:
        return None  # registered or waiting: the box offers to cancel instead
    denial = services.entitlement_denial(viewer, event)
    if event.is_past:
        return "past"
    if denial is not None:
        return BOX_REASONS.get(denial.outcome, denial.reason or "members")
    return services.refusal_reason(viewer, event)


def _price(viewer, event):
    """The price the viewer pays (None: free), or both tiers' prices for someone without a tier."""
    if viewer.tier == Tier.PREMIUM:
        return {"mine": event.price_premium, "known": True}
    if viewer.tier == Tier.BASIC:
        return {"mine": event.price_basic, "known": True}
    return {"basic": event.price_basic, "premium": event.price_premium, "known": False}


def ics_url(event):
    """The event's .ics (events/calendars.py), None where that address is not mounted."""
    try:
        return reverse("events:event_ics", kwargs={"event_id": event.pk})
    except NoReverseMatch:
        return None


def event_context(request, event):
    viewer = Viewer.for_request(request)
    decision = getattr(request, "page_decision", None) or decide(viewer, event)
    full = decision.full
    registration = None
    if viewer.is_authenticated and event.pk:
        registration = Registration.objects.filter(event_id=event.pk, user=viewer.user).first()
    active = registration if registration is not None and registration.state != Registration.State.CANCELLED else None
    context = {
        "viewer": viewer,
        "reads_in_full": full,
        "start": event.local_start(),
        "end": event.local_end(),
        "other_zone": event.elsewhere,
        "registration": active,
        "box_reason": _box_reason(viewer, event, registration) if event.pk else "past",
        "ics_url": ics_url(event) if event.pk else None,
    }
    if not full:  # the teaser: summary, date, kind, and the invitation to upgrade
        return context
    confirmed = active is not None and active.state == Registration.State.CONFIRMED
    show_online_url = bool(event.online_url) and (confirmed or viewer.is_staff)
    if show_online_url:
        keep_out_of_caches(request)  # the room's address is the participants' secret
    context.update(
        {
            "speakers": list(event.speakers.all()) if event.pk else [],
            "price": _price(viewer, event),
            "seats_left": services.seats_left(event) if event.pk else event.capacity,
            "waiting_position": services.waiting_position(active) if active is not None else None,
            # The online room is for participants (and the staff who organise).
            "show_online_url": show_online_url,
            "is_registered": confirmed,
            "may_cancel": active is not None and not (event.starts_at and event.starts_at <= timezone.now()),
            "brussels_start": timezone.localtime(event.starts_at) if event.starts_at else None,
        }
    )
    return context
