"""What a member is entitled to, kept in their session so that a page costs no query to learn it.

The access policy (`access.Viewer`) needs a person's tier, membership dates, charter signature, roles,
groups and edited sections on every request: three to seven queries. They change rarely, so they are
computed once and kept in the session as plain values (the *facts*), with the *stamps* they were
computed under:

- the person's own stamp, renewed by any change of their account, memberships, organisation, roles,
  groups or charter signature;
- the club's stamp, renewed by what touches many people at once: a new charter, an organisation's
  membership, page or collection permissions, `sync_memberships`;
- the day: memberships start and end with the calendar, so facts of yesterday are never used today.

Stamps live in the "shared" cache (Redis when `REDIS_URL` is set, otherwise files on the machine's disk),
which every web process reads: a change made through one process is seen by all the others at their
next request. A stamp is a fresh random token, never a counter, so that two processes renewing it at
once cannot leave it unchanged. A stamp that is missing (cache cleared, Redis restarted) is recreated
and counts as changed: facts are recomputed, never trusted longer than they should be.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils import timezone

SESSION_KEY = "cercle_facts"
CLUB_STAMP = "cercle:stamp:club"
# The page cache's own stamp (members/page_cache.py): renewed when any page or the club's settings change.
PAGES_STAMP = "cercle:stamp:pages"
STAMP_SECONDS = 60 * 60 * 24 * 30
# Raised when the facts kept change shape: sessions keeping an older shape compute them again.
FACTS_VERSION = 2


def shared_cache():
    return caches[settings.CERCLE_SHARED_CACHE]


def person_stamp_key(user_id):
    return f"cercle:stamp:person:{user_id}"


def read_stamps(*keys):
    """The current stamps of `keys`, creating those that are missing (a lost stamp counts as a change)."""
    cache = shared_cache()
    found = cache.get_many(keys)
    missing = {key: secrets.token_hex(8) for key in keys if key not in found}
    if missing:
        for key, value in missing.items():
            # add(): if another process created it meanwhile, theirs is kept and read back.
            if not cache.add(key, value, STAMP_SECONDS):
                missing[key] = cache.get(key) or value
        found.update(missing)
    return tuple(found[key] for key in keys)


def _renew(*keys):
    cache = shared_cache()
    cache.set_many({key: secrets.token_hex(8) for key in keys}, STAMP_SECONDS)


def _renew_now_and_after_commit(*keys):
    """Renewed at once, so that this transaction's own next reads see the change, and again when it
    commits: another process may have read the rows as they were before the commit under the first new
    stamp, and what it kept must not outlive the commit."""
    if keys:
        _renew(*keys)
        transaction.on_commit(lambda: _renew(*keys))


def renew_person(user_id):
    """This person's facts are out of date."""
    if user_id is not None:
        _renew_now_and_after_commit(person_stamp_key(user_id))


def renew_people(user_ids):
    """These people's facts are out of date (one write to the shared cache for all of them)."""
    _renew_now_and_after_commit(*(person_stamp_key(user_id) for user_id in set(user_ids) if user_id is not None))


def renew_club():
    """Everyone's facts are out of date."""
    _renew_now_and_after_commit(CLUB_STAMP)


def renew_pages(**kwargs):
    """Every page kept by the page cache is out of date (also a signal receiver: hence **kwargs)."""
    _renew_now_and_after_commit(PAGES_STAMP)


# ---------------------------------------------------------------------------------------------
# Facts in the session
# ---------------------------------------------------------------------------------------------


def stamps_for(user_id):
    return read_stamps(CLUB_STAMP, person_stamp_key(user_id))


def facts_from_session(session, user_id, day=None):
    """The facts kept in this session for this person, if they still hold today; otherwise None."""
    kept = session.get(SESSION_KEY)
    if not kept or kept.get("user") != user_id:
        return None
    day = (day or timezone.localdate()).isoformat()
    if kept.get("version") != FACTS_VERSION:  # kept by an earlier release, which knew fewer facts
        return None
    if kept.get("day") != day or tuple(kept.get("stamps", ())) != stamps_for(user_id):
        return None
    return kept


def keep_facts(session, user_id, facts, stamps):
    """Store the facts computed under `stamps` (read *before* computing them, so that a change made
    meanwhile leaves them out of date rather than hiding it)."""
    session[SESSION_KEY] = dict(facts, user=user_id, stamps=list(stamps), version=FACTS_VERSION)


# ---------------------------------------------------------------------------------------------
# What renews the stamps
# ---------------------------------------------------------------------------------------------


def _person_of(instance):
    return getattr(instance, "user_id", None)


def _person_row_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        renew_person(_person_of(instance))


def watch_person_rows(model):
    """Writing a row of `model` (it has a `user_id`) changes that person's entitlements."""
    label = model._meta.label
    post_save.connect(_person_row_changed, sender=model, dispatch_uid=f"entitlements.{label}.save")
    post_delete.connect(_person_row_changed, sender=model, dispatch_uid=f"entitlements.{label}.delete")


def connect():
    """Called from MembersConfig.ready(): every write that can change someone's entitlements."""
    from wagtail.models import GroupCollectionPermission, GroupPagePermission

    from .models import Charter, CharterSignature, Membership, Organisation, OrganisationMembership, Profile

    user_model = get_user_model()

    def account_changed(sender, instance, raw=False, update_fields=None, **kwargs):
        # Name, password, activity, superuser flag: all read from the session's facts on a cache hit. The
        # log-in's own save of `last_login` changes none of them.
        if not raw and set(update_fields or ()) != {"last_login"}:
            renew_person(instance.pk)

    def club_changed(sender, raw=False, **kwargs):
        if not raw:
            renew_club()

    def roles_changed(sender, instance, action, reverse, pk_set, **kwargs):
        if not action.startswith("post_"):
            return
        if reverse or action == "post_clear":  # group.user_set changed: who is unknown after a clear
            renew_club()
        else:
            renew_person(instance.pk)

    for model in (Membership, CharterSignature, Profile):
        watch_person_rows(model)
    post_save.connect(account_changed, sender=user_model, dispatch_uid="entitlements.user.save")
    post_delete.connect(account_changed, sender=user_model, dispatch_uid="entitlements.user.delete")

    def organisation_changed(sender, instance, raw=False, created=False, **kwargs):
        # Its name is among the facts of its people (the dashboard's membership card); a new one has
        # nobody yet. On a delete, before it: the rows naming it are then emptied without signals.
        if raw or created:
            return
        people = Profile.objects.filter(organisation=instance).values_list("user_id", flat=True)
        holders = Membership.objects.filter(organisation=instance).values_list("user_id", flat=True)
        renew_people([*people, *holders])

    post_save.connect(organisation_changed, sender=Organisation, dispatch_uid="entitlements.organisation.save")
    pre_delete.connect(organisation_changed, sender=Organisation, dispatch_uid="entitlements.organisation.delete")
    for model in (Charter, OrganisationMembership, GroupPagePermission, GroupCollectionPermission):
        post_save.connect(club_changed, sender=model, dispatch_uid=f"entitlements.{model.__name__}.save")
        post_delete.connect(club_changed, sender=model, dispatch_uid=f"entitlements.{model.__name__}.delete")
    m2m_changed.connect(roles_changed, sender=user_model.groups.through, dispatch_uid="entitlements.roles")
    user_logged_in.connect(_facts_at_login, dispatch_uid="entitlements.login")


def _facts_at_login(sender, request, user, **kwargs):
    """The log-in request pays for the facts, so that the first page after it is as fast as the next."""
    from .access import Viewer

    session = getattr(request, "session", None)
    if session is not None:
        Viewer(user).keep_in_session(session)
