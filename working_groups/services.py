"""Writes on groups: joining, requests, leads and their rights in the admin. One transaction each,
each audited in Wagtail's log."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from wagtail.log_actions import log
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from members import access, roles
from members.models import Audience, CollectionAudience
from members.services import absolute_url, person_name
from members.tasks import send_email

from .models import GroupMembership, WorkingGroupPage

LEAD_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
LEAD_COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


class GroupError(Exception):
    """A group operation that cannot be done; the message says why, for the person who asked."""


# --- The group's own document collection and its admin rights --------------------------------------


def collection_audience_for(group):
    """The group's documents are read by those who read the group."""
    return group.audience.read, group.audience.group_id


def ensure_collection(group):
    """Each group keeps its documents in its own collection, readable by the group's audience."""
    if group.collection_id is None:
        parent = Collection.get_first_root_node()
        collection = parent.add_child(name=(_("Group: %(title)s") % {"title": group.title})[:255])
        WorkingGroupPage.objects.filter(pk=group.pk).update(collection=collection)
        group.collection = collection
    audience, group_id = collection_audience_for(group)
    CollectionAudience.objects.update_or_create(
        collection_id=group.collection_id, defaults={"audience": audience, "group_id": group_id}
    )
    return group.collection


def leads_group(group):
    """The Django group that carries the admin rights of this group's leads, and nothing else."""
    name = f"{roles.GROUP_LEADS} · {group.pk}"
    django_group, created = Group.objects.get_or_create(name=name)
    if created:
        for codename in LEAD_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=django_group,
                page=group,
                permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
            )
        collection = ensure_collection(group)
        for app_label, codename in LEAD_COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=django_group,
                collection=collection,
                permission=Permission.objects.get(content_type__app_label=app_label, codename=codename),
            )
    return django_group


def sync_lead_rights(user):
    """Give the person exactly the admin rights of the groups they lead now.

    Called by the GroupMembership signals, so that every path (services, the admin, scripts) keeps
    the rights in step; never granted by hand."""
    led = set(
        GroupMembership.objects.filter(
            user=user, role=GroupMembership.Role.LEAD, state=GroupMembership.State.ACTIVE
        ).values_list("group_id", flat=True)
    )
    wanted = {leads_group(group) for group in WorkingGroupPage.objects.filter(pk__in=led)}
    prefix = f"{roles.GROUP_LEADS} · "
    current = set(user.groups.filter(name__startswith=prefix))
    if current - wanted:
        user.groups.remove(*(current - wanted))
    if wanted - current:
        user.groups.add(*(wanted - current))
    general = Group.objects.get(name=roles.GROUP_LEADS)
    if led:
        user.groups.add(general)
    else:
        user.groups.remove(general)


# --- Joining -------------------------------------------------------------------------------------


def may_join(viewer, group):
    """Entitled to be in the group: may read it (premium for clusters); private groups only by a lead."""
    if group.audience.read == Audience.GROUP:
        return False
    return access.can_read(viewer, group)


def _notify(users, subject, template, context):
    recipients = [u.email for u in users if u.email]
    if not recipients:
        return
    with translation.override("fr"):
        text = render_to_string(template, context)
    send_email.enqueue(subject=subject, to=recipients, text=text)


def group_url(group):
    return absolute_url(group.url or "/")


@transaction.atomic
def join(group, user):
    """Join an open group, or ask the leads of a group on request. Returns the membership."""
    viewer = access.Viewer(user)
    existing = GroupMembership.objects.filter(group=group, user=user).first()
    if existing is not None:
        return existing
    if not may_join(viewer, group) or group.join_policy == WorkingGroupPage.JoinPolicy.INVITATION:
        raise GroupError(_("This group is joined by invitation of its leads only."))
    if group.join_policy == WorkingGroupPage.JoinPolicy.OPEN:
        membership = GroupMembership.objects.create(group=group, user=user)
        log(group, "cercle.group.join", user=user, data={"user": user.pk})
        return membership
    membership = GroupMembership.objects.create(group=group, user=user, state=GroupMembership.State.REQUESTED)
    log(group, "cercle.group.request", user=user, data={"user": user.pk})
    leads = [m.user for m in group.memberships.filter(role="lead", state="active").select_related("user")]
    if not leads:  # a group without a lead: the club's staff answer instead, so nobody waits forever
        leads = list(get_user_model().objects.filter(is_active=True, groups__name=roles.CLUB_STAFF))
    transaction.on_commit(
        lambda: _notify(
            leads,
            _("%(name)s asks to join %(group)s") % {"name": person_name(user), "group": group.title},
            "working_groups/email/join_request.txt",
            {
                "group": group,
                "requester": user,
                "url": absolute_url(reverse("working_groups:members", args=[group.pk])),
            },
        )
    )
    return membership


@transaction.atomic
def decide_request(membership, *, approve, by):
    # Read afresh and locked: two leads answering at once (or a stale page) answer only once.
    current = (
        GroupMembership.objects.select_for_update()
        .filter(pk=membership.pk, state=GroupMembership.State.REQUESTED)
        .first()
    )
    if current is None:
        raise GroupError(_("This request has already been answered."))
    membership = current
    group, user = membership.group, membership.user
    if approve and not may_join(access.Viewer(user), group):
        # Entitlement is checked again at the answer: a premium membership may have ended meanwhile.
        raise GroupError(_("This person may no longer join this group (their membership has changed)."))
    if approve:
        membership.state = GroupMembership.State.ACTIVE
        membership.save(update_fields=["state"])
    else:
        membership.delete()
    log(group, "cercle.group.approve" if approve else "cercle.group.decline", user=by, data={"user": user.pk})
    subject = (_("Welcome to %(group)s") if approve else _("Your request to join %(group)s")) % {"group": group.title}
    transaction.on_commit(
        lambda: _notify(
            [user],
            subject,
            "working_groups/email/request_answered.txt",
            {"group": group, "approved": approve, "url": group_url(group)},
        )
    )


@transaction.atomic
def add_member(group, user, *, by, role=GroupMembership.Role.MEMBER):
    """A lead brings someone in (the only way into groups by invitation and private groups)."""
    if not access.Viewer(user).is_member:
        raise GroupError(_("Only members of the club can join a group."))
    if group.audience.read == Audience.PREMIUM and access.Viewer(user).tier != "premium":
        raise GroupError(_("Technology clusters are open to premium members only."))
    existing = GroupMembership.objects.filter(group=group, user=user).first()
    if existing is not None and existing.state == GroupMembership.State.ACTIVE:
        # Never a silent change of role (it could take away the group's last lead).
        raise GroupError(_("%(name)s is already in the group.") % {"name": person_name(user)})
    membership, created = GroupMembership.objects.update_or_create(
        group=group, user=user, defaults={"state": GroupMembership.State.ACTIVE, "role": role}
    )
    log(group, "cercle.group.add", user=by, data={"user": user.pk, "role": role})
    return membership


def _active_leads(group):
    return group.memberships.filter(role=GroupMembership.Role.LEAD, state=GroupMembership.State.ACTIVE)


def _is_last_lead(membership):
    """Whether this membership holds the group's only lead, read afresh and locked until the transaction
    ends: two leads stepping down at the same moment cannot both pass the check."""
    leads = list(_active_leads(membership.group).select_for_update().values_list("pk", flat=True))
    return membership.pk in leads and len(leads) <= 1


LAST_LEAD = gettext_noop("A group keeps at least one lead: promote someone else first.")


@transaction.atomic
def set_role(membership, role, *, by):
    """Promote to lead or demote to member; a group never loses its last lead silently."""
    if membership.state != GroupMembership.State.ACTIVE:
        raise GroupError(_("This person is not a member of the group yet: answer their request first."))
    if membership.role == role:
        return membership
    group = membership.group
    if role == GroupMembership.Role.MEMBER and _is_last_lead(membership):
        raise GroupError(_(LAST_LEAD))
    membership.role = role
    membership.save(update_fields=["role"])
    log(group, "cercle.group.role", user=by, data={"user": membership.user_id, "role": role})
    return membership


def _delete(membership, action, by):
    group, user = membership.group, membership.user
    if _is_last_lead(membership):
        raise GroupError(_(LAST_LEAD))
    membership.delete()
    log(group, action, user=by, data={"user": user.pk})


@transaction.atomic
def remove_member(membership, *, by):
    _delete(membership, "cercle.group.remove", by)


@transaction.atomic
def leave(membership):
    """A person leaves a group, or withdraws their request to join it; the last lead cannot leave."""
    _delete(membership, "cercle.group.leave", membership.user)
