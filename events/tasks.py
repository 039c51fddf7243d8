"""E-mails about a person's registrations, sent as tasks after the commit (never inside the request)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from members.services import absolute_url, person_name
from members.tasks import send_email

from .models import Registration


def _subject(kind, event):
    title = {"title": event.title}
    if kind == "confirmed":
        return _("You are registered: %(title)s") % title
    if kind == "waiting":
        return _("You are on the waiting list: %(title)s") % title
    if kind == "promoted":
        return _("A seat freed up, you are registered: %(title)s") % title
    if kind == "cancelled":
        return _("Registration cancelled: %(title)s") % title
    return _("Tomorrow: %(title)s") % title  # "reminder"


def registration_email(registration, kind):
    """(subject, text) of one e-mail about `registration`, in the club's language."""
    from .services import waiting_position

    event = registration.event
    # The club writes to its members in French first, as its other e-mails do (there is no per-member
    # language yet); the page's address is built in that language too.
    with translation.override(settings.LANGUAGE_CODE):
        url = event.get_url()
        context = {
            "event": event,
            "registration": registration,
            "name": person_name(registration.user),
            "url": absolute_url(url) if url else "",
            "position": waiting_position(registration),
            "start": event.local_start(),
            "end": event.local_end(),
            "other_zone": event.elsewhere,
            "profile_url": absolute_url(reverse("members:profile")),
        }
        text = render_to_string(f"events/email/{kind}.txt", context)
        return _subject(kind, event), text


@task()
def send_registration_email(registration_id, kind):
    """One e-mail to the person registered; nothing if the registration or the address is gone, or if the
    registration changed meanwhile (a promotion right after a waiting-list e-mail sends the promotion)."""
    registration = Registration.objects.select_related("event", "user__profile").filter(pk=registration_id).first()
    if registration is None or not registration.user.email:
        return 0
    expected = {
        "confirmed": Registration.State.CONFIRMED,
        "promoted": Registration.State.CONFIRMED,
        "waiting": Registration.State.WAITING,
        "cancelled": Registration.State.CANCELLED,
    }
    if registration.state != expected[kind]:
        return 0
    subject, text = registration_email(registration, kind)
    reply_to = [registration.event.contact_email] if registration.event.contact_email else None
    send_email.enqueue(subject=subject, to=[registration.user.email], text=text, reply_to=reply_to)
    return 1
