"""Keep the stored page audiences and the role groups in step with what changes them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from django.dispatch import receiver
from wagtail.log_actions import log
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import post_page_move

from . import access, services
from .models import Membership, Organisation, OrganisationMembership, Profile


@receiver(post_save)
def page_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not isinstance(instance, Page) or instance.depth is None:
        return
    if update_fields is not None:
        # A partial save (a draft's revision, a lock, a move's bookkeeping) leaves the page's own fields
        # as they are in the database while `instance` holds the editor's unpublished values: the
        # audience follows what is stored, so a draft never opens (or closes) the live page.
        instance = Page.objects.get(pk=instance.pk).specific_deferred
    access.refresh_page_audience(instance)


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    access.refresh_page_audience(Page.objects.get(pk=instance.pk))


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def restriction_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        access.refresh_page_audience(page)


@receiver(m2m_changed, sender=PageViewRestriction.groups.through)
def restriction_groups_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, PageViewRestriction):
        access.refresh_page_audience(Page.objects.get(pk=instance.page_id))


@receiver(m2m_changed, sender=get_user_model().groups.through)
def roles_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Every role change, from a service, the admin's user editor or a script, leaves an audit entry."""
    if action not in ("post_add", "post_remove") or not pk_set:
        return
    names = sorted(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
    users = [instance] if not reverse else list(get_user_model().objects.filter(pk__in=pk_set))
    if reverse:  # group.user_set.add(...): instance is the group
        names = [instance.name]
    key = "added" if action == "post_add" else "removed"
    for user in users:
        log(user, "cercle.roles.change", data={key: names})


@receiver(user_logged_in)
def sync_groups_on_login(sender, request, user, **kwargs):
    services.sync_user_groups(user)


# --- The role groups "Membres" / "Membres premium" follow the memberships ---------------------------
# Whoever writes a membership (the admin, a service, an import, a script), the person's role groups are
# brought in step at once; a membership that ends with time is caught at log-in and by the daily sync.

# The field naming whose membership it is: a person's own, or an organisation's seats (and its people).
_HOLDER = {Membership: "user_id", OrganisationMembership: "organisation_id", Profile: "organisation_id"}


@receiver(post_init, sender=Membership)
@receiver(post_init, sender=OrganisationMembership)
@receiver(post_init, sender=Profile)
def remember_holder(sender, instance, **kwargs):
    """The holder as loaded, so that moving a membership to someone else also syncs the one who lost it."""
    instance._cercle_loaded_holder = instance.__dict__.get(_HOLDER[sender])


def _sync_person(user_id):
    user = get_user_model()._default_manager.filter(pk=user_id).first()
    if user is not None:
        services.sync_user_groups(user)


def _sync_people_of(organisation_id):
    for profile in Profile.objects.filter(organisation_id=organisation_id).select_related("user"):
        services.sync_user_groups(profile.user)


def _holders_touched(instance, created):
    current = instance.__dict__.get(_HOLDER[type(instance)])
    previous = None if created else getattr(instance, "_cercle_loaded_holder", None)
    instance._cercle_loaded_holder = current
    return {holder for holder in (current, previous) if holder is not None}


@receiver(post_save, sender=Membership)
def membership_saved(sender, instance, created, raw=False, **kwargs):
    if not raw:
        for user_id in _holders_touched(instance, created):
            _sync_person(user_id)


@receiver(post_save, sender=OrganisationMembership)
def organisation_membership_saved(sender, instance, created, raw=False, **kwargs):
    if not raw:
        for organisation_id in _holders_touched(instance, created):
            _sync_people_of(organisation_id)


@receiver(post_save, sender=Profile)
def profile_saved(sender, instance, created, raw=False, **kwargs):
    """A person who joins or leaves an organisation gains or loses its seats."""
    previous = None if created else getattr(instance, "_cercle_loaded_holder", None)
    if not raw and instance.organisation_id != previous:
        instance._cercle_loaded_holder = instance.organisation_id
        services.sync_user_groups(instance.user)


def _deleted_with(origin, model):
    """Whether the deletion started from an instance (or queryset) of `model`: the holder itself is going."""
    origin_model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return isinstance(origin_model, type) and issubclass(origin_model, model)


@receiver(post_delete, sender=Membership)
def membership_deleted(sender, instance, origin=None, **kwargs):
    if not _deleted_with(origin, get_user_model()):
        _sync_person(instance.user_id)


@receiver(post_delete, sender=OrganisationMembership)
def organisation_membership_deleted(sender, instance, origin=None, **kwargs):
    if not _deleted_with(origin, Organisation):
        _sync_people_of(instance.organisation_id)
