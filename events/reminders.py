"""The reminder e-mail the day before an event, to its confirmed participants who want it.

"The day before" is read in the club's time zone: a run on any hour of a day reminds everyone registered
for an event that starts the next calendar day (and has not started yet). Running the command daily or
hourly is the same: each registration is reminded once (`reminded_at`, set by a conditional UPDATE, so
that two runs at the same moment do not both send).
"""

import dataclasses
import datetime

from django.db.models import Q
from django.utils import timezone

from members.access import Viewer

from .models import Registration
from .services import may_register


@dataclasses.dataclass
class ReminderRun:
    due: list  # the registrations reminded (or, in a dry run, that would be)
    skipped: list  # due but no longer entitled to come: not reminded, left for a later run


def tomorrow_bounds(now=None):
    """[start of tomorrow, start of the day after) in the club's time zone, as aware datetimes."""
    now = timezone.localtime(now or timezone.now())
    tomorrow = now.date() + datetime.timedelta(days=1)
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(tomorrow, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(tomorrow + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return start, end


def due_registrations(now=None):
    now = now or timezone.now()
    start, end = tomorrow_bounds(now)
    return (
        Registration.objects.filter(
            state=Registration.State.CONFIRMED,
            reminded_at__isnull=True,
            event__live=True,
            event__starts_at__gte=max(start, now),
            event__starts_at__lt=end,
            user__is_active=True,
        )
        # "Upcoming events" in the member's preferences (on by default, also for a person without a profile).
        .filter(Q(user__profile__notify_events=True) | Q(user__profile__isnull=True))
        .exclude(user__email="")
        .select_related("event", "user__profile")
        .order_by("event__starts_at", "pk")
    )


def send_reminders(*, dry_run=False, now=None):
    from members.tasks import send_email

    from .tasks import registration_email

    now = now or timezone.now()
    run = ReminderRun(due=[], skipped=[])
    for registration in due_registrations(now):
        # Asked again today: a membership may have ended, or the event's audience changed, since registering.
        if not may_register(Viewer(registration.user), registration.event):
            run.skipped.append(registration)
            continue
        if dry_run:
            run.due.append(registration)
            continue
        claimed = Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(reminded_at=now)
        if not claimed:  # another run reminded this person a moment ago
            continue
        subject, text = registration_email(registration, "reminder")
        reply_to = [registration.event.contact_email] if registration.event.contact_email else None
        send_email.enqueue(subject=subject, to=[registration.user.email], text=text, reply_to=reply_to)
        run.due.append(registration)
    return run
