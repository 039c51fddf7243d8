"""Writes that span the membership models: each in one transaction, each leaving an audit-log entry."""

import datetime
import re
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from . import roles
from .models import (
    Charter,
    CharterSignature,
    Invitation,
    Membership,
    MembershipRequest,
    OrganisationMembership,
    Profile,
)
from .tasks import send_email


class InvitationError(Exception):
    """An invitation link that cannot be used; `status` is the HTTP answer, `kind` what went wrong."""

    def __init__(self, kind, invitation=None):
        self.kind = kind  # "unknown", "expired", "revoked", "accepted"
        self.invitation = invitation
        self.status = 404 if kind == "unknown" else 410
        super().__init__(kind)


def person_name(user):
    """How the club names a person: the profile's display name, else the full name, else the login."""
    profile = getattr(user, "profile", None)  # RelatedObjectDoesNotExist is an AttributeError
    if profile is not None and profile.display_name:
        return profile.display_name
    return user.get_full_name() or user.get_username()


def absolute_url(path):
    """An address fit for an e-mail. Wagtail's page URLs are already absolute when several sites are
    served: those are returned as they are."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


# --- Invitations ---------------------------------------------------------------------------------


def _send_invitation_email(invitation, token):
    from django.urls import reverse

    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "inviter": person_name(invitation.invited_by) if invitation.invited_by else "",
            "url": absolute_url(reverse("members:accept_invitation", args=[token])),
            "expires_at": invitation.expires_at,
        }
        subject = _("Your invitation to join the club")
        text = render_to_string("members/email/invitation.txt", context)
        html = render_to_string("members/email/invitation.html", context)
    send_email.enqueue(subject=subject, to=[invitation.email], text=text, html=html)


@transaction.atomic
def invite(email, *, invited_by, tier, category, organisation=None, message=""):
    """Create an invitation and e-mail its link. Returns (invitation, token)."""
    invitation = Invitation(
        email=email.strip().lower(),
        invited_by=invited_by,
        tier=tier,
        category=category,
        organisation=organisation,
        message=message,
        expires_at=Invitation.default_expiry(),
    )
    token = invitation.new_token()
    invitation.save()
    log(invitation, "cercle.invitation.send", user=invited_by, data={"email": invitation.email, "tier": tier})
    transaction.on_commit(lambda: _send_invitation_email(invitation, token))
    return invitation, token


@transaction.atomic
def resend_invitation(invitation, *, by):
    """A new link (the old one stops working) and a new expiry date."""
    if invitation.state in (Invitation.State.ACCEPTED, Invitation.State.REVOKED):
        raise InvitationError(invitation.state, invitation)
    token = invitation.new_token()
    invitation.state = Invitation.State.SENT
    invitation.sent_at = timezone.now()
    invitation.expires_at = Invitation.default_expiry()
    invitation.save()
    log(invitation, "cercle.invitation.resend", user=by)
    transaction.on_commit(lambda: _send_invitation_email(invitation, token))
    return token


@transaction.atomic
def revoke_invitation(invitation, *, by):
    if invitation.state == Invitation.State.ACCEPTED:
        raise InvitationError("accepted", invitation)
    invitation.state = Invitation.State.REVOKED
    invitation.save(update_fields=["state"])
    log(invitation, "cercle.invitation.revoke", user=by)


def find_invitation(token):
    """The open invitation behind a link, or InvitationError saying politely why not."""
    invitation = Invitation.objects.filter(token_hash=Invitation.hash_token(token or "")).first()
    if invitation is None:
        raise InvitationError("unknown")
    if invitation.state == Invitation.State.ACCEPTED:
        raise InvitationError("accepted", invitation)
    if invitation.state == Invitation.State.REVOKED:
        raise InvitationError("revoked", invitation)
    if invitation.is_expired:
        raise InvitationError("expired", invitation)
    return invitation


def membership_period(start=None):
    """A membership runs one year from the day it starts."""
    start = start or timezone.localdate()
    try:
        end = start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + 1, day=28)
    return start, end - datetime.timedelta(days=1)


@transaction.atomic
def accept_invitation(token, *, first_name, last_name, password, charter):
    """Create the account, its profile and first membership, and sign the charter, all at once."""
    invitation = find_invitation(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != Invitation.State.SENT:  # accepted in another tab meanwhile
        raise InvitationError(invitation.state, invitation)
    User = get_user_model()
    user = User(username=invitation.email, email=invitation.email, first_name=first_name, last_name=last_name)
    user.set_password(password)
    user.save()
    Profile.objects.create(
        user=user,
        organisation=invitation.organisation,
        joined_organisation_at=timezone.now() if invitation.organisation else None,
    )
    valid_from, valid_until = membership_period()
    membership = Membership.objects.create(
        user=user,
        category=invitation.category,
        tier=invitation.tier,
        organisation=invitation.organisation,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    if charter is not None:
        sign_charter(user, charter)
    invitation.state = Invitation.State.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["state", "accepted_at", "accepted_by"])
    log(invitation, "cercle.invitation.accept", user=user)
    log(membership, "cercle.membership.create", user=user, data={"tier": membership.tier})
    return user


# --- Charter -------------------------------------------------------------------------------------


@transaction.atomic
def sign_charter(user, charter):
    signature, created = CharterSignature.objects.get_or_create(user=user, charter=charter)
    if created:
        log(charter, "cercle.charter.sign", user=user, data={"version": charter.version})
    return signature


@transaction.atomic
def publish_charter(*, title, version, body, effective_date, by):
    """A new version; every member re-accepts at their next visit from its effective date."""
    charter = Charter.objects.create(title=title, version=version, body=body, effective_date=effective_date)
    log(charter, "cercle.charter.publish", user=by, data={"version": version})
    return charter


# --- Memberships ---------------------------------------------------------------------------------


def next_period_start(latest):
    """A renewal starts the day after the latest period ends, or today if that has passed."""
    today = timezone.localdate()
    after_latest = latest.valid_until + datetime.timedelta(days=1) if latest and latest.valid_until else today
    return max(today, after_latest)


@transaction.atomic
def renew_membership(user, *, tier, by, category=None, fee=0, valid_from=None, valid_until=None, organisation=None):
    """Add a period after the person's latest one (or from today); nothing is overwritten."""
    latest = Membership.objects.filter(user=user).order_by("-valid_until").first()
    if valid_from is None:
        valid_from = next_period_start(latest)
    if valid_until is None:
        valid_until = membership_period(valid_from)[1]
    membership = Membership.objects.create(
        user=user,
        tier=tier,
        category=category or (latest.category if latest else "adherent"),
        fee=fee,
        valid_from=valid_from,
        valid_until=valid_until,
        organisation=organisation if organisation is not None else (latest.organisation if latest else None),
    )
    log(membership, "cercle.membership.renew", user=by, data={"tier": tier, "until": str(valid_until)})
    return membership


@transaction.atomic
def renew_organisation_membership(organisation, *, tier, seats, by, fee=0, valid_from=None, valid_until=None):
    latest = organisation.memberships.order_by("-valid_until").first()
    if valid_from is None:
        valid_from = next_period_start(latest)
    period = OrganisationMembership.objects.create(
        organisation=organisation,
        tier=tier,
        seats=seats,
        fee=fee,
        valid_from=valid_from,
        valid_until=valid_until or membership_period(valid_from)[1],
    )
    log(period, "cercle.membership.renew", user=by, data={"organisation": organisation.name, "tier": tier})
    return period


# --- Roles ---------------------------------------------------------------------------------------


def sync_user_groups(user, day=None):
    """Keep the "Membres" and "Membres premium" groups equal to what the person's membership gives."""
    from .access import Viewer

    viewer = Viewer(user, day=day)
    wanted = set()
    if viewer.has_valid_membership:
        wanted.add(roles.MEMBERS)
        if viewer.tier == "premium":
            wanted.add(roles.PREMIUM_MEMBERS)
    tier_groups = {g.name: g for g in Group.objects.filter(name__in=[roles.MEMBERS, roles.PREMIUM_MEMBERS])}
    current = set(user.groups.filter(name__in=tier_groups).values_list("name", flat=True))
    if current == wanted:
        return False
    # The audit entries come from the groups' m2m_changed signal (signals.py), whoever changes them.
    user.groups.remove(*[tier_groups[name] for name in current - wanted])
    user.groups.add(*[tier_groups[name] for name in wanted - current if name in tier_groups])
    return True


@transaction.atomic
def set_role(user, role, *, granted, by):
    """Grant or withdraw one of the club's roles; audited by the groups' m2m_changed signal."""
    from wagtail.log_actions import LogContext

    group = Group.objects.get(name=role)
    with LogContext(user=by):
        if granted:
            user.groups.add(group)
        else:
            user.groups.remove(group)


def sync_memberships(day=None):
    """The hourly job: roles follow memberships that start or end, stale invitations expire."""
    day = day or timezone.localdate()
    changed = sum(sync_user_groups(user, day=day) for user in get_user_model().objects.filter(is_active=True))
    expired = Invitation.objects.filter(state=Invitation.State.SENT, expires_at__lte=timezone.now()).update(
        state=Invitation.State.EXPIRED
    )
    # Memberships that began or ended today change entitlements kept in sessions: everyone's are renewed.
    from .entitlements import renew_club

    renew_club()
    return {"users_changed": changed, "invitations_expired": expired}


# --- Personal feeds ------------------------------------------------------------------------------


def feed_token_for(user):
    """The secret in the person's private feed addresses, made (with their profile) the first time."""
    profile, _created = Profile.objects.get_or_create(user=user)
    if not profile.feed_token:
        token = secrets.token_urlsafe(32)
        # Only fill an empty token: two pages opened at once must not hand out two different addresses.
        Profile.objects.filter(pk=profile.pk, feed_token="").update(feed_token=token)
        profile.refresh_from_db(fields=["feed_token"])
        from .entitlements import renew_person

        renew_person(user.pk)  # the session's facts carry the token (members/page_cache.py)
    return profile.feed_token


FEED_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]+")  # what secrets.token_urlsafe produces


def profile_for_feed_token(token):
    """The profile whose feed secret this is. An empty or malformed secret matches nobody, and never
    reaches the database (a NUL byte would make PostgreSQL fail)."""
    max_length = Profile._meta.get_field("feed_token").max_length
    if not token or len(token) > max_length or not FEED_TOKEN_PATTERN.fullmatch(token):
        return None
    return Profile.objects.select_related("user").filter(feed_token=token).exclude(feed_token="").first()


@transaction.atomic
def reset_feed_token(user):
    """A new secret: every private feed address the person gave a feed reader stops working."""
    profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
    profile.feed_token = secrets.token_urlsafe(32)
    profile.save(update_fields=["feed_token"])
    log(profile, "cercle.feed.reset", user=user)
    return profile.feed_token


# --- Membership requests (upgrade, renewal) ------------------------------------------------------


class MembershipRequestError(Exception):
    """A request this person may not make: `reason` is "anonymous", "staff", "premium" or "none"."""

    def __init__(self, reason):
        self.reason = reason
        super().__init__(reason)


def renewal_due(viewer):
    """A valid membership that ends within the renewal window (CERCLE_RENEWAL_WINDOW_DAYS, 30 by default)."""
    if not viewer.has_valid_membership or viewer.valid_until is None:
        return False
    window = datetime.timedelta(days=getattr(settings, "CERCLE_RENEWAL_WINDOW_DAYS", 30))
    return viewer.valid_until - viewer.day <= window


def membership_request_kinds(viewer):
    """What this person may ask the secretariat for, the likeliest first; empty when nothing."""
    if not viewer.is_authenticated or viewer.is_staff:
        return []
    if viewer.is_expired:
        return [MembershipRequest.Kind.RENEWAL]
    kinds = []
    if viewer.tier == "basic":
        kinds.append(MembershipRequest.Kind.UPGRADE)
    if renewal_due(viewer):
        kinds.append(MembershipRequest.Kind.RENEWAL)
    return kinds


def why_no_membership_request(viewer, kind=None):
    """Why this person has nothing to ask (for a polite page), or None: the reasons of MembershipRequestError."""
    if not viewer.is_authenticated:
        return "anonymous"
    if viewer.is_staff:
        return "staff"
    premium = viewer.tier == "premium"
    if premium and kind == MembershipRequest.Kind.UPGRADE:
        return "premium"
    if not membership_request_kinds(viewer):
        return "premium" if premium else "none"
    return None


def last_tier(user):
    """The tier of the person's latest membership, their own or their organisation's, ended or not."""
    own = Membership.objects.filter(user=user).order_by("-valid_until").values_list("tier", flat=True).first()
    profile = Profile.objects.filter(user=user).only("organisation_id").first()
    org = None
    if profile is not None and profile.organisation_id:
        org = (
            OrganisationMembership.objects.filter(organisation_id=profile.organisation_id)
            .order_by("-valid_until")
            .values_list("tier", flat=True)
            .first()
        )
    return "premium" if "premium" in (own, org) else (own or org or "")


def open_membership_request(user):
    return MembershipRequest.objects.filter(user=user, state=MembershipRequest.State.NEW).first()


def club_staff():
    """Who answers the members' requests: the "Gestion du club" role, else the superusers."""
    User = get_user_model()
    staff = list(User.objects.filter(is_active=True, groups__name=roles.CLUB_STAFF).exclude(email="").distinct())
    return staff or list(User.objects.filter(is_active=True, is_superuser=True).exclude(email=""))


def _notify_staff_of_request(membership_request):
    from django.urls import reverse

    recipients = [user.email for user in club_staff()]
    if not recipients:
        return
    member = membership_request.user
    profile = Profile.objects.filter(user=member).select_related("organisation").first()
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "request": membership_request,
            "name": person_name(member),
            "email": member.email,
            "organisation": profile.organisation.name if profile and profile.organisation else "",
            "tier": membership_request.get_tier_display() if membership_request.tier else "",
            "url": absolute_url(reverse("members_requests:edit", args=[membership_request.pk])),
        }
        subject = _("%(name)s asks: %(kind)s") % {
            "name": context["name"],
            "kind": membership_request.get_kind_display(),
        }
        text = render_to_string("members/email/membership_request.txt", context)
    # To the staff only; replying reaches the member directly.
    send_email.enqueue(subject=subject, to=recipients, text=text, reply_to=[member.email] if member.email else None)


@transaction.atomic
def ask_for_membership_change(user, *, kind, message=""):
    """Record a member's request and tell the staff once it is saved. Returns (request, created):
    while a request is open, asking again returns that one."""
    from .access import Viewer

    existing = open_membership_request(user)
    if existing is not None:
        return existing, False
    viewer = Viewer(user)
    if kind not in membership_request_kinds(viewer):
        raise MembershipRequestError(why_no_membership_request(viewer, kind) or "none")
    try:
        with transaction.atomic():  # two tabs at once: the database's constraint keeps one
            membership_request = MembershipRequest.objects.create(
                user=user, kind=kind, tier=viewer.tier or last_tier(user), message=message.strip()
            )
    except IntegrityError:
        return open_membership_request(user), False
    log(membership_request, "cercle.membership_request.send", user=user, data={"kind": kind})
    transaction.on_commit(lambda: _notify_staff_of_request(membership_request))
    return membership_request, True


@transaction.atomic
def answer_membership_request(membership_request, *, state, by, note=None):
    """Staff mark a request handled or declined (or open again), with a note for the other staff."""
    membership_request = MembershipRequest.objects.select_for_update().get(pk=membership_request.pk)
    membership_request.state = state
    if note is not None:
        membership_request.staff_note = note
    if state == MembershipRequest.State.NEW:
        membership_request.handled_at, membership_request.handled_by = None, None
    else:
        membership_request.handled_at, membership_request.handled_by = timezone.now(), by
    membership_request.save()
    log(membership_request, "cercle.membership_request.answer", user=by, data={"state": state})
    return membership_request
