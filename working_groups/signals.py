from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, post_page_move

from . import activity, services
from .models import GroupMembership, MeetingNotePage, WorkingGroupPage

# A note's save matters to its group's last activity only when it changes whether or when it is live; the
# saves of drafts and revisions (update_fields naming other columns) leave the group alone.
NOTE_ACTIVITY_FIELDS = frozenset({"live", "last_published_at"})


@receiver(post_save, sender=WorkingGroupPage)
def group_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        services.ensure_collection(instance)
        if kwargs.get("created") or not activity.has_row(instance.pk):
            activity.refresh(instance)


@receiver(post_save, sender=GroupMembership)
@receiver(post_delete, sender=GroupMembership)
def membership_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        services.sync_lead_rights(instance.user)
        activity.refresh_member_count(instance.group_id)


@receiver(post_save, sender=MeetingNotePage)
def note_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """Published, unpublished (Wagtail saves the page either way), or put live by an import."""
    if raw or (update_fields is not None and not NOTE_ACTIVITY_FIELDS & set(update_fields)):
        return
    group = activity.group_of(instance.path)
    if group is not None:
        activity.refresh_last_activity(group)


@receiver(pre_delete, sender=MeetingNotePage)
def note_deleted(sender, instance, **kwargs):
    # Before the deletion, while the group can still be found by the note's path; the note is left out.
    group = activity.group_of(instance.path)
    if group is not None:
        activity.refresh_last_activity(group, leaving=instance)


@receiver(post_page_move)
def note_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    if not issubclass(sender, MeetingNotePage) or parent_page_before.pk == parent_page_after.pk:
        return
    for parent in (parent_page_before, parent_page_after):
        group = WorkingGroupPage.objects.filter(pk=parent.pk).only("pk", "path", "depth").first()
        if group is not None:
            activity.refresh_last_activity(group)


@receiver(page_published, sender=MeetingNotePage)
def note_published(sender, instance, revision=None, **kwargs):
    from .tasks import notify_note_published

    # Only the first publication notifies; a scheduled one fires this signal again when it goes live.
    first_time = instance.live and instance.first_published_at == instance.last_published_at
    if first_time:
        transaction.on_commit(lambda: notify_note_published.enqueue(note_id=instance.pk))
