"""Members' privacy (GDPR): anonymising a departed member, and the retention rule that does it on schedule.

(`members/privacy.py` is something else: the no-store caching of pages that show a person's data.)

Anonymising keeps the rows and erases the person: memberships, charter signatures, group memberships,
registrations, pages and audit entries stay, so the club's counts and history hold, but nothing left names
the person. The account stays too, renamed "Ancien membre": the pages they created keep their owner,
which now reads "Ancien membre" wherever Wagtail or the site names it (one person's pages remain one
person's, and no shared account gathers strangers' histories that anyone could log in to).
"""

import dataclasses
import json
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from . import personal_data, roles
from .models import DIRECTORY_FIELDS, Invitation, Membership, OrganisationMembership, Profile

FORMER_MEMBER = "Ancien membre"  # what the club calls them from now on: stored, so in the club's language
ANONYMOUS_DOMAIN = "anonyme.invalid"  # ".invalid" is reserved (RFC 2606): no mail can ever go there

ACTION = "cercle.member.anonymise"
EXPORT_ACTION = "cercle.personal_data.export"


def anonymous_address(user_id):
    return f"ancien-membre-{user_id}@{ANONYMOUS_DOMAIN}"


def is_anonymised(user):
    return user.email.endswith("@" + ANONYMOUS_DOMAIN) or bool(
        Profile.objects.filter(user=user, anonymised_at__isnull=False).exists()
    )


def is_staff_account(user):
    """Staff (and superusers) are never anonymised: withdraw their role first, it is then a member like any."""
    return bool(user.is_superuser or user.is_staff or user.groups.filter(name=roles.CLUB_STAFF).exists())


REFUSALS = {
    "staff": _(
        "This is a staff account: it cannot be anonymised. Withdraw the person's staff role first if they left."
    ),
    "valid_membership": _(
        "This person has a valid membership today. Anonymise them only if they asked to leave the club: "
        "tick the box that confirms it."
    ),
}


class AnonymisationRefused(Exception):
    def __init__(self, reason):
        self.reason = reason
        super().__init__(reason)


def refusal(user, *, force=False):
    """Why this person may not be anonymised now ("staff", "valid_membership"), or None."""
    from .access import Viewer

    if is_staff_account(user):
        return "staff"
    if not force and Viewer(user).has_valid_membership:
        return "valid_membership"
    return None


def _identifiers(user, profile):
    """The strings that name the person in free text: full name, display name, e-mail, login."""
    names = {user.get_full_name().strip(), profile.display_name.strip() if profile else ""}
    addresses = {user.email.strip(), user.get_username().strip()}
    # A short string ("Li") would also match inside unrelated words: such a name is left where it is.
    return {n for n in names if len(n) >= 4}, {a for a in addresses if len(a) >= 4}


def _scrubber(names, addresses, new_address):
    pairs = [(a, new_address) for a in sorted(addresses, key=len, reverse=True)] + [
        (n, FORMER_MEMBER) for n in sorted(names, key=len, reverse=True)
    ]
    patterns = [(re.compile(re.escape(old), re.IGNORECASE), new) for old, new in pairs]

    def scrub(value):
        if isinstance(value, str):
            for pattern, new in patterns:
                value = pattern.sub(new, value)
            return value
        if isinstance(value, list):
            return [scrub(item) for item in value]
        if isinstance(value, dict):
            return {scrub(key): scrub(item) for key, item in value.items()}
        return value

    return scrub, [old for old, _new in pairs]


def _scrub_audit_log(names, addresses, new_address):
    """Audit entries stay (who did what, when) but their labels and data no longer name the person."""
    from wagtail.models import ModelLogEntry, PageLogEntry

    scrub, needles = _scrubber(names, addresses, new_address)
    if not needles:
        return 0
    # The data column is JSON: stored escaped ("\\u00e9") on SQLite, as it is on PostgreSQL; look for both.
    forms = {form for needle in needles for form in (needle, json.dumps(needle)[1:-1])}
    changed = 0
    for model in (ModelLogEntry, PageLogEntry):
        match = Q()
        for form in forms:
            match |= Q(label__icontains=form) | Q(data_text__icontains=form)
        entries = model.objects.annotate(data_text=Cast("data", TextField())).filter(match)
        for entry in entries.only("pk", "label", "data"):
            label, data = scrub(entry.label), scrub(entry.data)
            if label != entry.label or data != entry.data:
                model.objects.filter(pk=entry.pk).update(label=label, data=data)
                changed += 1
    return changed


def _forget_login_attempts(addresses):
    """django-axes keeps failed log-ins under the login typed."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__in=list(addresses)).delete()


def _delete_files(photo, admin_profile):
    if photo is not None:
        # After the commit: a rolled-back anonymisation must not have lost the photo.
        transaction.on_commit(photo.delete)
    if admin_profile is not None and admin_profile.avatar:
        avatar = admin_profile.avatar
        name, storage = avatar.name, avatar.storage
        admin_profile.avatar = None
        admin_profile.save(update_fields=["avatar"])
        transaction.on_commit(lambda: storage.delete(name))


@dataclasses.dataclass
class Anonymisation:
    user: object
    done: bool  # False: the person had already been anonymised, nothing changed
    log_entries_scrubbed: int = 0
    photo_deleted: bool = False


def anonymise_member(user, *, by=None, force=False):
    """Erase a departed member in one transaction (see the module's docstring). Idempotent: a second run
    changes nothing and returns done=False. Raises AnonymisationRefused for staff accounts, and for a
    person with a valid membership unless `force`."""
    with transaction.atomic():
        User = get_user_model()
        user = User.objects.select_for_update().get(pk=user.pk)
        profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
        if profile.anonymised_at is not None:
            return Anonymisation(user=user, done=False)
        reason = refusal(user, force=force)
        if reason:
            raise AnonymisationRefused(reason)

        had_valid_membership = force and _has_valid_membership(user)
        names, addresses = _identifiers(user, profile)
        new_address = anonymous_address(user.pk)

        user.first_name, user.last_name = FORMER_MEMBER, ""
        user.email = new_address
        setattr(user, User.USERNAME_FIELD, new_address)
        user.set_unusable_password()  # also ends every open session (their hash no longer matches)
        user.is_active = False
        user.save()  # a full save: the search document follows the account (search/people.py)
        user.groups.clear()  # no role comes back should someone reactivate the account
        user.user_permissions.clear()

        photo = profile.photo
        photo_deleted = photo is not None and photo.uploaded_by_user_id in (user.pk, None)
        profile.photo = None
        profile.display_name = profile.job_title = profile.bio = profile.linkedin_url = profile.phone = ""
        # Off their organisation: an anonymous account must not keep one of its seats from a colleague.
        profile.organisation, profile.joined_organisation_at = None, None
        profile.languages = []
        profile.feed_token = ""
        for field in DIRECTORY_FIELDS:
            setattr(profile, f"show_{field}", False)
        profile.notify_digest = profile.notify_group_notes = False
        profile.notify_events = profile.notify_opportunities = False
        profile.notify_discussions = type(profile).DiscussionMail.NEVER
        profile.anonymised_at = timezone.now()
        profile.expertise.clear()  # written by the save, as ClusterTaggableManager does
        profile.save()

        # Invitations to the person's address that never brought them in (revoked, expired) name them too.
        Invitation.objects.filter(email__in=[a for a in addresses if "@" in a]).update(email=new_address, message="")

        admin_profile = getattr(user, "wagtail_userprofile", None)
        _delete_files(photo if photo_deleted else None, admin_profile)
        _forget_login_attempts(addresses)

        # Every app's own part (members' invitations and requests, working groups, events, opportunities…).
        for part in personal_data.registered_parts():
            if part.anonymise is not None:
                part.anonymise(user)

        scrubbed = _scrub_audit_log(names, addresses, new_address)
        log(
            user,
            ACTION,
            user=by,
            title=f"{FORMER_MEMBER} #{user.pk}",
            data={"forced": bool(had_valid_membership), "log_entries_scrubbed": scrubbed},
        )
        return Anonymisation(user=user, done=True, log_entries_scrubbed=scrubbed, photo_deleted=photo_deleted)


def _has_valid_membership(user):
    from .access import Viewer

    return Viewer(user).has_valid_membership


# --- Retention ---------------------------------------------------------------------------------


def years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def retention_cutoff(years=None, today=None):
    """People whose last membership ended before this day (strictly) are anonymised."""
    years = settings.CERCLE_RETENTION_YEARS if years is None else years
    return years_before(today or timezone.localdate(), years)


def retention_candidates(years=None, today=None):
    """Who the retention rule anonymises today, ordered by id:

    - people whose last membership, their own or their organisation's (the one their profile names),
      ended before the cutoff, with none open-ended or still to come;
    - people who never had one (no own period, no organisation period) whose account was created, and
      last used, before the cutoff;
    never staff (superusers, Django staff, the "Gestion du club" role) nor anyone already anonymised, nor
    anyone with a valid membership today (checked by the access policy itself).
    """
    today = today or timezone.localdate()
    cutoff = retention_cutoff(years, today)
    User = get_user_model()
    own = Membership.objects.filter(user=OuterRef("pk"))
    org = OrganisationMembership.objects.filter(organisation__people__user=OuterRef("pk"))
    people = (
        User.objects.exclude(is_superuser=True)
        .exclude(is_staff=True)
        .exclude(groups__name=roles.CLUB_STAFF)
        .exclude(profile__anonymised_at__isnull=False)
        .annotate(
            has_own=Exists(own),
            own_open=Exists(own.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=cutoff))),
            has_org=Exists(org),
            org_open=Exists(org.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=cutoff))),
        )
        .filter(own_open=False, org_open=False)
        .filter(
            Q(has_own=True)
            | Q(has_org=True)
            | (Q(date_joined__date__lt=cutoff) & (Q(last_login__isnull=True) | Q(last_login__date__lt=cutoff)))
        )
        .order_by("pk")
    )
    from .access import Viewer

    return [person for person in people if not Viewer(person, day=today).has_valid_membership]


def last_membership_end(user):
    own = Membership.objects.filter(user=user).aggregate(end=Max("valid_until"))["end"]
    org = OrganisationMembership.objects.filter(organisation__people__user=user).aggregate(end=Max("valid_until"))[
        "end"
    ]
    ends = [d for d in (own, org) if d is not None]
    return max(ends) if ends else None


def apply_retention(*, years=None, dry_run=False, today=None):
    """Anonymise (or, dry, only list) the people of `retention_candidates`. Returns [(user, last end)],
    the users as they were before (their names, for the list the command prints)."""
    found = []
    for person in retention_candidates(years, today):
        found.append((person, last_membership_end(person)))
    if not dry_run:
        for person, _end in found:
            anonymise_member(person, by=None)
    return found
