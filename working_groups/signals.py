from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from . import services
from .models import GroupMembership, MeetingNotePage, WorkingGroupPage


@receiver(post_save, sender=WorkingGroupPage)
def group_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        services.ensure_collection(instance)


@receiver(post_save, sender=GroupMembership)
@receiver(post_delete, sender=GroupMembership)
def membership_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        services.sync_lead_rights(instance.user)


@receiver(page_published, sender=MeetingNotePage)
def note_published(sender, instance, revision=None, **kwargs):
    from .tasks import notify_note_published

    # Only the first publication notifies; a scheduled one fires this signal again when it goes live.
    first_time = instance.live and instance.first_published_at == instance.last_published_at
    if first_time:
        transaction.on_commit(lambda: notify_note_published.enqueue(note_id=instance.pk))
