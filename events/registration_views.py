"""Register for an event, cancel, leave the waiting list (events/services.py does the work).

POST only, CSRF-protected (Django's middleware). Who may register is the policy's answer, asked first:
a visitor is sent to log in and back to the event, an expired member is asked to renew, a basic member
at a premium event is shown the premium tier, and an outsider of a group's event gets a 404 as on its
page. Successes and stale forms (registration closed since the page was shown) go back to the event's
page with a message.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.access import Viewer
from members.converters import DatabaseIdConverter  # noqa: F401 (registers <id:...>)
from members.gates import denial_response

from . import services
from .models import EventPage, Registration


def _event_or_404(event_id):
    event = EventPage.objects.live().filter(pk=event_id).first()
    if event is None:
        raise Http404
    return event


def _event_url(request, event):
    return event.get_url(request) or "/"


@require_POST
def register(request, event_id):
    event = _event_or_404(event_id)
    back = _event_url(request, event)
    denial = services.entitlement_denial(Viewer.for_request(request), event)
    if denial is not None:
        return denial_response(request, denial, back)
    try:
        registration = services.register(event, request.user)
    except services.RegistrationError as error:
        messages.error(request, str(error.message))
        return redirect(back)
    if registration.state == Registration.State.CONFIRMED:
        messages.success(request, _("You are registered. A confirmation is on its way by e-mail."))
    else:
        messages.info(
            request,
            _(
                "The event is full: you are on the waiting list, in position %(position)s. "
                "We will write to you if a seat frees up."
            )
            % {"position": services.waiting_position(registration)},
        )
    return redirect(back)


@require_POST
def cancel(request, event_id):
    """Cancel a registration, or leave the waiting list."""
    event = _event_or_404(event_id)
    back = _event_url(request, event)
    viewer = Viewer.for_request(request)
    if not viewer.is_authenticated:
        return denial_response(request, services.entitlement_denial(viewer, event), back)
    # Anyone registered may cancel, even if no longer entitled (an ended membership must not keep a seat
    # taken); the policy still hides a group's event from outsiders.
    decision = services.access.decide(viewer, event)
    if decision.outcome == decision.NOT_FOUND:
        raise Http404
    previous = Registration.objects.filter(event=event, user=request.user).values_list("state", flat=True).first()
    try:
        services.cancel(event, request.user)
    except services.RegistrationError as error:
        messages.error(request, str(error.message))
        return redirect(back)
    if previous == Registration.State.WAITING:
        messages.success(request, _("You have left the waiting list."))
    elif previous == Registration.State.CONFIRMED:
        messages.success(request, _("Your registration is cancelled."))
    else:
        messages.info(request, _("Your registration was already cancelled."))
    return redirect(back)


urlpatterns = [
    path("agenda/<id:event_id>/inscription/", register, name="register"),
    path("agenda/<id:event_id>/annulation/", cancel, name="cancel"),
]
