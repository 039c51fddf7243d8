"""An editor who publishes an event with more seats (or no limit any more) gives the free seats to the
waiting list at once, as a cancellation would."""

from django.db import transaction
from wagtail.signals import page_published


def promote_after_publish(sender, instance, revision=None, **kwargs):
    from . import services

    user = getattr(revision, "user", None)
    event_id = instance.pk
    transaction.on_commit(lambda: _promote(event_id, user, services))


def _promote(event_id, user, services):
    from .models import EventPage

    event = EventPage.objects.filter(pk=event_id).first()
    if event is not None:
        services.promote_waiting(event, by=user)


def connect():
    from .models import EventPage

    page_published.connect(promote_after_publish, sender=EventPage, dispatch_uid="events_promote_after_publish")
