"""Members of the club as search documents: what the directory shows of them, for members only.

A person is found while they are a current member (an active account in the "Membres" group, which
members/signals.py keeps equal to their memberships), exactly as `members.views.profile.current_members`
lists them. The document is the same for every member, so it holds only what every member may see:
the name, and the job title, organisation and areas of expertise where the person chose to show them
to members (`Profile.show_*`, opt-in). Never the e-mail, the phone or the bio. An anonymised profile
names nobody: it has no document.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Value
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from members import roles
from members.models import Audience, Organisation, Profile, ProfileExpertise
from members.services import person_name

from . import index
from .registry import DocumentData, Indexer, join_text, register


def _current_members(queryset):
    # The same test as members.views.profile.current_members (the directory), without importing views.
    return queryset.filter(user__is_active=True, user__groups__name=roles.MEMBERS)


def is_current_member(profile):
    if getattr(profile, "cercle_current_member", False):  # the rebuild's queryset already knows
        return True
    user = profile.user
    return user.is_active and user.groups.filter(name=roles.MEMBERS).exists()


@register
class PersonIndexer(Indexer):
    model = Profile
    kind = "person"
    label = _("Member")
    section = "people"

    def queryset(self):
        # Every profile of this queryset is a current member: the rebuild need not ask again for each.
        profiles = _current_members(Profile.objects.all()).annotate(cercle_current_member=Value(True))
        return profiles.select_related("user", "organisation").prefetch_related("expertise")

    def build(self, profile):
        if profile.is_anonymised or not is_current_member(profile):
            return None
        with translation.override(settings.LANGUAGE_CODE):  # the address without a language prefix
            url = reverse("members:profile_detail", args=[profile.user_id])
        return DocumentData(
            key=self.key(profile),
            kind=self.kind,
            object_id=profile.pk,
            url=url,
            title=person_name(profile.user),
            section=self.section,
            know=Audience.MEMBERS,
            read=Audience.MEMBERS,
            teaser=join_text(
                [
                    profile.job_title if profile.show_job_title else "",
                    profile.organisation.name if profile.organisation_id and profile.show_organisation else "",
                    sorted(tag.name for tag in profile.expertise.all()) if profile.show_expertise else [],
                ]
            ),
        )


def update_person(profile_or_id):
    profile = profile_or_id
    if not isinstance(profile, Profile):
        profile = Profile.objects.select_related("user", "organisation").filter(pk=profile_or_id).first()
        if profile is None:
            index.remove_keys([f"person:{profile_or_id}"])
            return
    index.update(profile)


def update_people_of_users(user_ids):
    for profile in Profile.objects.filter(user_id__in=list(user_ids)).select_related("user", "organisation"):
        index.update(profile)


# --- Signals: whatever changes what the document says, or whether the person is a member ------------


# The profile's fields the document shows; a save of others only (a feed token, preferences) changes nothing.
SHOWN_FIELDS = {
    "display_name",
    "job_title",
    "organisation",
    "organisation_id",
    "user",
    "user_id",
    "show_job_title",
    "show_organisation",
    "show_expertise",
    "anonymised_at",
}


@receiver(post_save, sender=Profile)
def profile_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not SHOWN_FIELDS & set(update_fields)):
        return
    update_person(instance)


@receiver(post_delete, sender=Profile)
def profile_deleted(sender, instance, **kwargs):
    index.remove_keys([f"person:{instance.pk}"])


@receiver(post_save, sender=get_user_model())
def user_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """A new name, or an account deactivated (the person disappears) or reactivated."""
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return  # a log-in or a new password changes nothing the document says
    if not raw and not created:
        update_people_of_users([instance.pk])


@receiver(m2m_changed, sender=get_user_model().groups.through)
def roles_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Joining or leaving "Membres": a membership started or ended (members.services.sync_user_groups)."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:  # user.groups.add(...): instance is the user, pk_set the groups
        if action == "post_clear" or _names_members(pk_set):
            update_people_of_users([instance.pk])
    elif instance.name == roles.MEMBERS:  # group.user_set.add(...): pk_set the users (None on clear)
        if action == "post_clear":
            _reindex_everyone_indexed()
        else:
            update_people_of_users(pk_set or ())


def _names_members(group_ids):
    from django.contrib.auth.models import Group

    return bool(group_ids) and Group.objects.filter(pk__in=group_ids, name=roles.MEMBERS).exists()


def _reindex_everyone_indexed():
    """The "Membres" group was emptied: whoever had a document is checked again."""
    from .models import SearchDocument

    ids = SearchDocument.objects.filter(kind=PersonIndexer.kind).values_list("object_id", flat=True)
    for profile_id in list(ids):
        update_person(profile_id)


@receiver(post_save, sender=ProfileExpertise)
@receiver(post_delete, sender=ProfileExpertise)
def expertise_changed(sender, instance, raw=False, **kwargs):
    # Profile.save() writes its tags after its own post_save: the document follows each tag written.
    if not raw:
        update_person(instance.content_object_id)


@receiver(post_save, sender=Tag)
def tag_renamed(sender, instance, created, raw=False, **kwargs):
    if raw or created:
        return
    for profile_id in ProfileExpertise.objects.filter(tag=instance).values_list("content_object_id", flat=True):
        update_person(profile_id)


@receiver(post_save, sender=Organisation)
def organisation_saved(sender, instance, created, raw=False, **kwargs):
    """A renamed organisation: its people's documents name it anew."""
    if not raw and not created:
        for profile in instance.people.select_related("user", "organisation"):
            index.update(profile)


@receiver(pre_delete, sender=Organisation)
def organisation_deleting(sender, instance, **kwargs):
    # Its people lose it by an UPDATE (SET_NULL) that sends no signal: remember them to re-index after.
    instance._cercle_people = list(instance.people.values_list("pk", flat=True))


@receiver(post_delete, sender=Organisation)
def organisation_deleted(sender, instance, **kwargs):
    for profile_id in getattr(instance, "_cercle_people", ()):
        update_person(profile_id)
