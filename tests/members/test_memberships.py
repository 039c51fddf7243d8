"""Memberships: history kept on renewal, tiers that end on their end date, roles and audit in step."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from members import access, roles, services
from members.models import Membership
from tests.factories.members import (
    InvitationFactory,
    MembershipFactory,
    OrganisationMembershipFactory,
    ProfileFactory,
    UserFactory,
    make_member,
    make_staff,
)

pytestmark = pytest.mark.django_db


def group_names(user):
    return set(user.groups.values_list("name", flat=True))


def test_renewing_adds_a_period_and_keeps_the_history():
    user = make_member("basic")
    first = Membership.objects.get(user=user)
    renewal = services.renew_membership(user, tier="premium", by=make_staff())
    assert Membership.objects.filter(user=user).count() == 2
    first.refresh_from_db()
    assert first.tier == "basic"  # untouched
    assert renewal.valid_from == first.valid_until + datetime.timedelta(days=1)
    assert ModelLogEntry.objects.filter(action="cercle.membership.renew", object_id=str(renewal.pk)).exists()


def test_a_premium_membership_is_no_longer_premium_from_its_end_date():
    today = timezone.localdate()
    user = UserFactory()
    MembershipFactory(user=user, tier="premium", valid_until=today + datetime.timedelta(days=3))
    services.sync_user_groups(user)
    assert group_names(user) >= {roles.MEMBERS, roles.PREMIUM_MEMBERS}

    with time_machine.travel(today + datetime.timedelta(days=3, hours=12), tick=False):
        assert access.Viewer(user).tier == "premium"  # the last day still counts
    with time_machine.travel(today + datetime.timedelta(days=4, hours=12), tick=False):
        assert access.Viewer(user).tier is None
        assert access.Viewer(user).is_expired
        call_command("sync_memberships")
    assert roles.PREMIUM_MEMBERS not in group_names(user)
    assert roles.MEMBERS not in group_names(user)
    assert Membership.objects.filter(user=user).exists()  # the account and its history stay
    assert ModelLogEntry.objects.filter(action="cercle.roles.change", object_id=str(user.pk)).exists()


def test_logging_in_brings_roles_in_step(client):
    user = make_member("premium")
    user.groups.clear()
    client.post("/compte/connexion/", {"username": user.username, "password": "motdepasse-de-test-42"})
    assert group_names(user) >= {roles.MEMBERS, roles.PREMIUM_MEMBERS}


def test_organisation_seats_go_to_its_people_in_the_order_they_joined():
    period = OrganisationMembershipFactory(tier="premium", seats=2)
    people = [UserFactory() for _ in range(3)]
    now = timezone.now()
    for n, user in enumerate(people):
        ProfileFactory(
            user=user, organisation=period.organisation, joined_organisation_at=now - datetime.timedelta(days=10 - n)
        )
    assert [access.Viewer(u).tier for u in people] == ["premium", "premium", None]
    services.renew_organisation_membership(
        period.organisation, tier="premium", seats=3, by=None, valid_from=timezone.localdate()
    )
    assert access.Viewer(people[2]).tier == "premium"


def test_own_membership_and_organisation_give_the_best_tier():
    period = OrganisationMembershipFactory(tier="premium", seats=5)
    user = make_member("basic")
    assert access.Viewer(user).tier == "basic"
    user.profile.organisation = period.organisation
    user.profile.save()
    assert access.Viewer(user).tier == "premium"


def test_sync_memberships_expires_stale_invitations():
    stale = InvitationFactory(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    fresh = InvitationFactory()
    call_command("sync_memberships")
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.state, fresh.state) == ("expired", "sent")


def test_a_new_charter_version_makes_every_member_sign_again(client, home_page):
    from tests.factories.home import StandardPageFactory

    StandardPageFactory(parent=home_page, slug="espace", audience="members")
    user = make_member("premium")
    client.force_login(user)
    assert client.get("/espace/").status_code == 200

    new = services.publish_charter(
        title="Charte",
        version="2.0",
        body="<p>Nouvelle version</p>",
        effective_date=timezone.localdate(),
        by=make_staff(),
    )
    assert ModelLogEntry.objects.filter(action="cercle.charter.publish", object_id=str(new.pk)).exists()
    response = client.get("/espace/")
    assert response.status_code == 302 and response["Location"].startswith("/charte/")

    page = client.get(response["Location"])
    assert "Nouvelle version" in page.content.decode()
    refused = client.post("/charte/?next=/espace/", {"next": "/espace/"})
    assert refused.status_code == 400
    signed = client.post("/charte/", {"accept": "on", "next": "/espace/"})
    assert signed["Location"] == "/espace/"
    assert client.get("/espace/").status_code == 200
    assert ModelLogEntry.objects.filter(action="cercle.charter.sign", object_id=str(new.pk)).exists()


def test_charter_is_public_and_refuses_an_outside_next_url(client):
    from tests.factories.members import current_charter

    charter = current_charter()
    assert "Indépendance, confidentialité" in client.get("/charte/").content.decode()
    assert charter.version in client.get("/charte/").content.decode()
    user = make_member("basic", signed=False)
    client.force_login(user)
    response = client.post("/charte/", {"accept": "on", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_role_changes_are_audited_with_who_made_them():
    staff = make_staff()
    user = make_member("basic")
    services.set_role(user, roles.TECHWATCH_EDITORS, granted=True, by=staff)
    entry = ModelLogEntry.objects.filter(action="cercle.roles.change", object_id=str(user.pk)).latest("timestamp")
    assert entry.user_id == staff.pk
    assert entry.data == {"added": [roles.TECHWATCH_EDITORS]}
    assert Group.objects.get(name=roles.TECHWATCH_EDITORS).user_set.filter(pk=user.pk).exists()
