"""Writes of the opportunities app: a member's interest (recorded, changed, withdrawn), the e-mails that
follow it, the alerts of a new opportunity, and the premium collection of the programme's documents.

Each write is one transaction with an audit-log entry on the opportunity's page (its history in the admin);
e-mails leave only after the commit, through the tasks of opportunities/tasks.py.
"""

import contextlib
import threading

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Collection

from members.access import Viewer, can_read
from members.models import Audience, CollectionAudience, Profile
from members.services import absolute_url, club_staff, person_name
from members.tasks import send_email

from .models import AlertSent, Interest

# The programme's documents (tender files, calls' regulations) are premium like the opportunities they
# come with: a basic member who guesses a document's address is refused it (members.access.decide_document).
COLLECTION_NAME = "Opportunités d'affaires"


def ensure_collection():
    """The programme's document collection, readable by premium members only. Idempotent."""
    collection = Collection.objects.filter(name=COLLECTION_NAME, depth=2).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=COLLECTION_NAME)
    CollectionAudience.objects.update_or_create(collection=collection, defaults={"audience": Audience.PREMIUM})
    return collection


# --- "I'm interested" ----------------------------------------------------------------------------------


class InterestError(Exception):
    """An interest that may not be recorded: `reason` is "closed" or "not_allowed"."""

    def __init__(self, reason):
        self.reason = reason
        super().__init__(reason)


def may_express_interest(viewer, opportunity):
    """Members who read the opportunity in full (premium, staff, its editors) say they are interested."""
    return viewer.is_member and can_read(viewer, opportunity)


@transaction.atomic
def record_interest(opportunity, user, message=""):
    """Record (or update) this member's interest and tell the opportunity's contact once it is saved.

    Returns (interest, created). A second submit keeps the one row: its message is updated, and the
    contact is told again only if the message changed.
    """
    if not may_express_interest(Viewer(user), opportunity):
        raise InterestError("not_allowed")
    if opportunity.is_closed:
        raise InterestError("closed")
    message = message.strip()
    interest = Interest.objects.select_for_update().filter(opportunity=opportunity, user=user).first()
    created = False
    if interest is None:
        try:
            with transaction.atomic():  # two tabs at once: the database's constraint keeps one row
                interest = Interest.objects.create(opportunity=opportunity, user=user, message=message)
                created = True
        except IntegrityError:
            interest = Interest.objects.select_for_update().get(opportunity=opportunity, user=user)
    changed = not created and interest.message != message
    if changed:
        interest.message = message
        interest.save(update_fields=["message"])
    if created or changed:
        log(
            opportunity,
            "cercle.opportunity.interest" if created else "cercle.opportunity.interest_update",
            user=user,
            data={"user": user.pk},
        )
        kind = "new" if created else "updated"
        transaction.on_commit(lambda: _enqueue_interest_notice(interest.pk, kind))
    return interest, created


@transaction.atomic
def withdraw_interest(opportunity, user):
    """Withdraw this member's interest; the contact is told if they had been told of it. Returns whether
    there was one (withdrawing twice, in two tabs, is not an error)."""
    interest = Interest.objects.select_for_update().filter(opportunity=opportunity, user=user).first()
    if interest is None:
        return False
    was_notified = interest.notified_at is not None
    interest.delete()
    log(opportunity, "cercle.opportunity.interest_withdraw", user=user, data={"user": user.pk})
    if was_notified:
        transaction.on_commit(lambda: _enqueue_withdrawal_notice(opportunity.pk, user.pk))
    return True


def _enqueue_interest_notice(interest_id, kind):
    from .tasks import notify_interest

    notify_interest.enqueue(interest_id=interest_id, kind=kind)


def _enqueue_withdrawal_notice(opportunity_id, user_id):
    from .tasks import notify_withdrawal

    notify_withdrawal.enqueue(opportunity_id=opportunity_id, user_id=user_id)


def interest_recipients(opportunity):
    """Who is told of an interest: the opportunity's contact, else the club's staff."""
    if opportunity.contact_email:
        return [opportunity.contact_email]
    return [user.email for user in club_staff()]


def _member_details(user):
    profile = Profile.objects.filter(user=user).select_related("organisation").first()
    return {
        "name": person_name(user),
        "email": user.email,
        "organisation": profile.organisation.name if profile and profile.organisation else "",
    }


def _opportunity_url(opportunity):
    url = opportunity.get_url()
    return absolute_url(url) if url else ""


def send_interest_notice(interest, kind="new"):
    """E-mail the contact (or staff) the member's name, organisation, address and message. Returns
    whether an e-mail left."""
    opportunity = interest.opportunity
    recipients = interest_recipients(opportunity)
    if not recipients:
        return False
    member = interest.user
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            **_member_details(member),
            "opportunity": opportunity,
            "url": _opportunity_url(opportunity),
            "message": interest.message,
            "updated": kind == "updated",
            "to_staff": not opportunity.contact_email,
        }
        if kind == "updated":
            subject = _("%(name)s updated their interest in “%(title)s”")
        else:
            subject = _("%(name)s is interested in “%(title)s”")
        subject = subject % {"name": context["name"], "title": opportunity.title}
        text = render_to_string("opportunities/email/interest.txt", context)
    # Replying reaches the member directly.
    send_email.enqueue(subject=subject, to=recipients, text=text, reply_to=[member.email] if member.email else None)
    Interest.objects.filter(pk=interest.pk).update(notified_at=timezone.now())
    return True


def send_withdrawal_notice(opportunity, user):
    recipients = interest_recipients(opportunity)
    if not recipients:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {**_member_details(user), "opportunity": opportunity, "url": _opportunity_url(opportunity)}
        subject = _("%(name)s withdrew their interest in “%(title)s”") % {
            "name": context["name"],
            "title": opportunity.title,
        }
        text = render_to_string("opportunities/email/withdrawal.txt", context)
    send_email.enqueue(subject=subject, to=recipients, text=text, reply_to=[user.email] if user.email else None)
    return True


# --- Alerts of a new opportunity -------------------------------------------------------------------


_quiet = threading.local()


@contextlib.contextmanager
def alerts_paused():
    """Publish without alerting anyone: the demo's opportunities are history, not news."""
    previous = getattr(_quiet, "paused", False)
    _quiet.paused = True
    try:
        yield
    finally:
        _quiet.paused = previous


def alerts_are_paused():
    return getattr(_quiet, "paused", False)


def cluster_ids_of(opportunity):
    return [cluster.pk for cluster in opportunity.clusters.all()]


def alert_candidates(opportunity):
    """Users who follow one of the opportunity's clusters, want these alerts and were not alerted yet."""
    from django.contrib.auth import get_user_model

    cluster_ids = cluster_ids_of(opportunity)
    if not cluster_ids:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            profile__notify_opportunities=True,
            profile__cluster_interests__cluster_id__in=cluster_ids,
        )
        .exclude(email="")
        .exclude(pk__in=AlertSent.objects.filter(opportunity=opportunity).values("user_id"))
        .select_related("profile")
        .distinct()
        .order_by("pk")
    )


def send_alerts(opportunity):
    """One e-mail to each premium member who follows one of the opportunity's clusters. Returns how many.

    The policy is asked for each person on the day of publication (Viewer(user).is_premium, and may they
    read this page); an AlertSent row is written before the e-mail leaves, so a republication, a second
    run of the task or two workers at once alert nobody twice. A closed opportunity alerts nobody.
    """
    if not opportunity.live or opportunity.is_closed:
        return 0
    candidates = list(alert_candidates(opportunity))
    if not candidates:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        url = _opportunity_url(opportunity)
        if not url:  # reachable on no site: nothing to point to
            return 0
        profile_url = absolute_url(_profile_path())
        followed = {
            user_id: titles
            for user_id, titles in _followed_clusters(opportunity, [user.pk for user in candidates]).items()
        }
        subject = _("New opportunity: %(title)s") % {"title": opportunity.title}
        sent = 0
        for user in candidates:
            viewer = Viewer(user)
            if not viewer.is_premium or not can_read(viewer, opportunity):
                continue
            _alert, created = AlertSent.objects.get_or_create(opportunity=opportunity, user=user)
            if not created:
                continue
            text = render_to_string(
                "opportunities/email/alert.txt",
                {
                    "opportunity": opportunity,
                    "name": person_name(user),
                    "url": url,
                    "clusters": followed.get(user.pk, []),
                    "profile_url": profile_url,
                },
            )
            send_email.enqueue(subject=subject, to=[user.email], text=text)
            sent += 1
    return sent


def _profile_path():
    from django.urls import reverse

    return reverse("members:profile")


def _followed_clusters(opportunity, user_ids):
    """{user id: titles of the opportunity's clusters they follow}: why each person is alerted."""
    from working_groups.models import ClusterInterest

    rows = (
        ClusterInterest.objects.filter(profile__user_id__in=user_ids, cluster__in=opportunity.clusters.values("pk"))
        .order_by("cluster__title")
        .values_list("profile__user_id", "cluster__title")
    )
    titles = {}
    for user_id, title in rows:
        titles.setdefault(user_id, []).append(title)
    return titles


def opportunity_published(opportunity):
    """Called by the page_published signal: the alerts go out through a task once the publication is saved."""
    if alerts_are_paused():
        return

    def enqueue():
        from .tasks import send_opportunity_alerts

        send_opportunity_alerts.enqueue(opportunity_id=opportunity.pk)

    transaction.on_commit(enqueue)
