"""Spaces follow their groups: each working group and cluster has its space from its first save, named
after it, with the group page's audiences (copied whenever the policy recomputes them, so that a group
made private takes its threads, posts and their search documents with it at once). Members' `@` handles
follow their names."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from django.utils.text import slugify

from members.models import PageAudience, Profile


def posting_for(group):
    """A thematic group read by every member lets its members speak, the others read (as for its notes);
    in a cluster and a private group every reader is a member of the conversation."""
    from working_groups.models import WorkingGroupPage

    if group.kind == WorkingGroupPage.Kind.THEMATIC and group.visibility == WorkingGroupPage.Visibility.MEMBERS:
        from .models import Space

        return Space.Posting.GROUP
    from .models import Space

    return Space.Posting.READERS


# The fixed words of discussions/urls.py, which a space's address may not take.
RESERVED_SLUGS = {"questions", "suivis", "mentions", "ne-plus-suivre", "sujets", "signalements", "messages"}


def unique_slug(title, exclude_pk=None):
    from .models import Space

    base = slugify(title)[:70] or "espace"
    if base in RESERVED_SLUGS:
        base = f"{base}-espace"
    slug, n = base, 1
    while Space.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def ensure_space(group):
    """The group's space, created on first need; its title follows the group's."""
    from .models import Space

    space = Space.objects.filter(group_id=group.pk).first()
    if space is None:
        space = Space(group=group, title=group.title, slug=unique_slug(group.title), posting=posting_for(group))
        space.sync_audience(save=False)
        space.save()
        return space
    if space.title != group.title:
        Space.objects.filter(pk=space.pk).update(title=group.title)
        space.title = group.title
    return space


def group_saved(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    ensure_space(instance)


def audience_saved(sender, instance, raw=False, **kwargs):
    """A group page's audiences changed: its space, and the search documents of its threads and posts."""
    if raw:
        return
    from .models import Space

    space = Space.objects.filter(group_id=instance.page_id).select_related("group").first()
    if space is not None and space.sync_audience():
        # Who writes follows the group's new visibility (a private group opened to every member lets
        # only its members speak); staff may choose otherwise again in the admin afterwards.
        posting = posting_for(space.group)
        if posting != space.posting:
            Space.objects.filter(pk=space.pk).update(posting=posting)
        from .search import space_audience_changed

        space_audience_changed(space)


def person_saved(sender, instance, raw=False, created=False, **kwargs):
    """A member's handle follows their name (old posts keep the links they were written with)."""
    if raw:
        return
    from .models import MemberHandle
    from .services import assign_handle, handle_base

    user = instance if isinstance(instance, get_user_model()) else instance.user
    current = MemberHandle.objects.filter(user=user).values_list("handle", flat=True).first()
    base = handle_base(user)
    if current is None or not (current == base or (current.startswith(base) and current[len(base) :].isdigit())):
        assign_handle(user)


def connect():
    from working_groups.models import WorkingGroupPage

    post_save.connect(group_saved, sender=WorkingGroupPage, dispatch_uid="discussions_group_saved")
    post_save.connect(audience_saved, sender=PageAudience, dispatch_uid="discussions_audience_saved")
    post_save.connect(person_saved, sender=get_user_model(), dispatch_uid="discussions_user_saved")
    post_save.connect(person_saved, sender=Profile, dispatch_uid="discussions_profile_saved")
