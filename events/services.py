"""Registration for events: register, cancel (or leave the waiting list), promote from the waiting list.

Each write is one transaction that first locks the event's row, so that two people taking the last seat
at the same moment are served one after the other: the second finds the event full and joins the waiting
list. On PostgreSQL the lock is `SELECT … FOR UPDATE` on the page's row; on SQLite the transactions are
IMMEDIATE (config/settings.py), so writers already take turns. E-mails leave after the commit, as tasks.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import Page

from members import access

from .models import EventPage, Registration

State = Registration.State


class RegistrationError(Exception):
    """A registration that cannot be made or cancelled; `reason` is a short code, the message says why."""

    MESSAGES = {
        "not_entitled": _("This event is not open to you."),
        "closed": _("Registration for this event is closed."),
        "deadline": _("The registration deadline for this event has passed."),
        "past": _("This event has already taken place."),
        "started": _("This event has already started: registrations can no longer be changed."),
        "not_registered": _("You are not registered for this event."),
    }

    def __init__(self, reason):
        self.reason = reason
        super().__init__(str(self.MESSAGES[reason]))

    @property
    def message(self):
        return self.MESSAGES[self.reason]


def may_register(viewer, event):
    """Entitled to come: the policy lets the viewer read the event in full, and they are a member (or
    staff). A visitor may read a public event but not register; a basic member sees a premium event's
    teaser only; an expired or unsigned member is not a member until they renew or sign."""
    if not viewer.is_authenticated:
        return False
    return (viewer.is_staff or viewer.is_member) and access.decide(viewer, event).full


def entitlement_denial(viewer, event):
    """The policy's refusal for a viewer who may not register for this event, or None if they may.

    The teaser of a premium event refuses as the premium tier; a visitor reading a public event is asked
    to log in, an expired member to renew, a member who has not signed the charter to sign it."""
    decision = access.decide(viewer, event)
    if decision.teaser:
        return access.Decision(access.Decision.FORBIDDEN, "premium")
    if not decision.full:
        return decision
    if viewer.is_staff or viewer.is_member:
        return None
    if not viewer.is_authenticated:
        return access.Decision(access.Decision.LOGIN)
    if viewer.needs_charter:
        return access.Decision(access.Decision.CHARTER)
    if viewer.is_expired:
        return access.Decision(access.Decision.FORBIDDEN, "renewal")
    return access.Decision(access.Decision.FORBIDDEN, "members")


def refusal_reason(viewer, event, now=None):
    """Why this viewer may not register now, or None if they may (the event page's registration box)."""
    now = now or timezone.now()
    if event.is_past or (event.ends_at is not None and event.ends_at <= now):
        return "past"
    if not may_register(viewer, event):
        return "not_entitled"
    if not event.registration_open:
        return "closed"
    closes = event.registration_closes_at()
    if closes is not None and now >= closes:
        return "deadline"
    return None


def _locked(event):
    """The event read afresh under a lock held until the transaction ends.

    The lock is taken on wagtailcore_page's row (the parent table of the multi-table inheritance): a
    `select_for_update()` on EventPage would join both tables, and every writer of registrations goes
    through here, so locking one row per event is enough to serialise them.
    """
    Page.objects.select_for_update().only("pk").get(pk=event.pk)
    return EventPage.objects.get(pk=event.pk)


def _confirmed_count(event):
    return Registration.objects.filter(event=event, state=State.CONFIRMED).count()


def _has_free_seat(event):
    return event.capacity is None or _confirmed_count(event) < event.capacity


def _send(registration, kind):
    from .tasks import send_registration_email

    registration_id = registration.pk
    transaction.on_commit(lambda: send_registration_email.enqueue(registration_id, kind))


@transaction.atomic
def register(event, user, *, now=None):
    """Register `user` for `event`: a seat if one is free, else the end of the waiting list.

    A second submit returns the registration already made (no error, no second e-mail). Raises
    RegistrationError when the person may not register (not entitled, closed, deadline, past).
    """
    now = now or timezone.now()
    event = _locked(event)
    registration = Registration.objects.filter(event=event, user=user).first()
    if registration is not None and registration.state != State.CANCELLED:
        return registration
    reason = refusal_reason(access.Viewer(user), event, now=now)
    if reason is not None:
        raise RegistrationError(reason)
    state = State.CONFIRMED if _has_free_seat(event) else State.WAITING
    fields = {
        "state": state,
        "registered_at": now,  # after a cancellation, the end of the queue again
        "confirmed_at": now if state == State.CONFIRMED else None,
        "cancelled_at": None,
    }
    if registration is None:
        registration = Registration.objects.create(event=event, user=user, **fields)
    else:
        for name, value in fields.items():
            setattr(registration, name, value)
        registration.save(update_fields=list(fields))
    action = "cercle.event.register" if state == State.CONFIRMED else "cercle.event.wait"
    log(event, action, user=user, data={"user": user.pk, "registration": registration.pk})
    _send(registration, "confirmed" if state == State.CONFIRMED else "waiting")
    return registration


@transaction.atomic
def cancel(event, user, *, now=None):
    """Cancel a registration or leave the waiting list; a freed seat goes to the first person waiting.

    Cancelling twice returns the cancelled registration (a double click is not an error)."""
    now = now or timezone.now()
    event = _locked(event)
    registration = Registration.objects.filter(event=event, user=user).first()
    if registration is None:
        raise RegistrationError("not_registered")
    if registration.state == State.CANCELLED:
        return registration
    if event.starts_at is not None and now >= event.starts_at:
        raise RegistrationError("started")
    was_confirmed = registration.state == State.CONFIRMED
    registration.state = State.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["state", "cancelled_at"])
    log(event, "cercle.event.cancel", user=user, data={"user": user.pk, "registration": registration.pk})
    _send(registration, "cancelled")
    if was_confirmed:
        _promote(event, now=now, by=user)
    return registration


def _promote(event, *, now, by=None):
    """Give the free seats of a locked event to the earliest people waiting who may still come."""
    if event.capacity is not None:
        free = event.capacity - _confirmed_count(event)
    else:
        free = None  # no limit (any more): everyone waiting comes in
    if (free is not None and free <= 0) or (event.starts_at is not None and now >= event.starts_at):
        return []
    promoted = []
    waiting = Registration.objects.filter(event=event, state=State.WAITING).select_related("user")
    for registration in waiting.order_by("registered_at", "pk").iterator():
        if free is not None and len(promoted) >= free:
            break
        # Entitlement is asked again: a membership may have ended since the person joined the queue.
        if not may_register(access.Viewer(registration.user), event):
            continue
        registration.state = State.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["state", "confirmed_at"])
        data = {"user": registration.user_id, "registration": registration.pk}
        log(event, "cercle.event.promote", user=by, data=data)
        _send(registration, "promoted")
        promoted.append(registration)
    return promoted


@transaction.atomic
def promote_waiting(event, *, by=None, now=None):
    """Fill the event's free seats from its waiting list (after a cancellation, or an editor raising the
    capacity). Returns the registrations promoted. Lowering the capacity never removes anyone."""
    return _promote(_locked(event), now=now or timezone.now(), by=by)


def waiting_position(registration):
    """1 for the first person waiting, and so on; None when not waiting."""
    if registration.state != State.WAITING:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id,
        state=State.WAITING,
        registered_at__lte=registration.registered_at,
    ).exclude(registered_at=registration.registered_at, pk__gt=registration.pk)
    return ahead.count()


def seats_left(event):
    """Seats still free (None: no limit)."""
    if event.capacity is None:
        return None
    return max(event.capacity - _confirmed_count(event), 0)
