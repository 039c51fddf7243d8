"""The role groups "Membres" and "Membres premium" follow the memberships, whoever writes them: the
admin, a service or plain ORM code (members/signals.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members import roles
from members.models import Membership, OrganisationMembership, Profile
from tests.factories.members import (
    MembershipFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    ProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BOTH = {roles.MEMBERS, roles.PREMIUM_MEMBERS}


def tier_roles(user):
    return set(user.groups.filter(name__in=BOTH).values_list("name", flat=True))


def person_of(organisation):
    return ProfileFactory(organisation=organisation, joined_organisation_at=timezone.now()).user


def period_form(organisation, tier, seats="2"):
    today = timezone.localdate()
    return {
        "organisation": organisation.pk,
        "tier": tier,
        "seats": seats,
        "fee": "0",
        "valid_from": today.isoformat(),
        "valid_until": (today + datetime.timedelta(days=364)).isoformat(),
    }


# --- A person's own membership, through the ORM ------------------------------------------------------


def test_creating_a_membership_in_code_gives_the_roles():
    person = UserFactory()
    MembershipFactory(user=person, tier="premium")
    assert tier_roles(person) == BOTH


def test_editing_a_membership_in_code_changes_the_roles():
    person = UserFactory()
    membership = MembershipFactory(user=person, tier="premium")
    membership.tier = "basic"
    membership.save()
    assert tier_roles(person) == {roles.MEMBERS}


def test_moving_a_membership_to_someone_else_takes_the_roles_from_the_first_person():
    first, second = UserFactory(), UserFactory()
    membership = MembershipFactory(user=first, tier="premium")
    membership = Membership.objects.get(pk=membership.pk)  # as loaded by any later code
    membership.user = second
    membership.save()
    assert tier_roles(first) == set()
    assert tier_roles(second) == BOTH


def test_deleting_a_membership_in_code_takes_the_roles_away():
    person = UserFactory()
    membership = MembershipFactory(user=person, tier="premium")
    membership.delete()
    assert tier_roles(person) == set()


def test_an_ended_membership_written_in_code_gives_no_role():
    today = timezone.localdate()
    person = UserFactory()
    MembershipFactory(
        user=person, valid_from=today - datetime.timedelta(days=400), valid_until=today - datetime.timedelta(days=1)
    )
    assert tier_roles(person) == set()


def test_deleting_a_person_with_a_membership_deletes_cleanly():
    person = UserFactory()
    MembershipFactory(user=person, tier="premium")
    person.delete()
    assert not Membership.objects.filter(user_id=person.pk).exists()


# --- An organisation's seats, through the ORM ---------------------------------------------------------


def test_an_organisation_period_in_code_gives_its_people_the_roles():
    organisation = OrganisationFactory()
    person = person_of(organisation)
    OrganisationMembershipFactory(organisation=organisation, tier="premium", seats=2)
    assert tier_roles(person) == BOTH


def test_moving_an_organisation_period_takes_the_roles_from_the_first_organisations_people():
    first, second = OrganisationFactory(), OrganisationFactory()
    first_person, second_person = person_of(first), person_of(second)
    period = OrganisationMembershipFactory(organisation=first, tier="premium", seats=2)
    period = OrganisationMembership.objects.get(pk=period.pk)
    period.organisation = second
    period.save()
    assert tier_roles(first_person) == set()
    assert tier_roles(second_person) == BOTH


def test_deleting_an_organisation_period_in_code_takes_the_roles_away():
    organisation = OrganisationFactory()
    person = person_of(organisation)
    period = OrganisationMembershipFactory(organisation=organisation, tier="premium", seats=2)
    period.delete()
    assert tier_roles(person) == set()


def test_joining_and_leaving_an_organisation_with_seats_gives_and_takes_the_roles():
    organisation = OrganisationFactory()
    OrganisationMembershipFactory(organisation=organisation, tier="premium", seats=2)
    profile = ProfileFactory()
    profile.organisation = organisation
    profile.joined_organisation_at = timezone.now()
    profile.save()
    assert tier_roles(profile.user) == BOTH

    profile = Profile.objects.get(pk=profile.pk)
    profile.organisation = None
    profile.save()
    assert tier_roles(profile.user) == set()


# --- An organisation's seats, through the admin -----------------------------------------------------


def test_editing_an_organisation_period_in_the_admin_changes_its_peoples_roles(staff_client):
    organisation = OrganisationFactory()
    person = person_of(organisation)
    period = OrganisationMembershipFactory(organisation=organisation, tier="premium", seats=2)
    response = staff_client.post(
        reverse("members_organisation_memberships:edit", args=[period.pk]), period_form(organisation, "basic")
    )
    assert response.status_code == 302
    assert tier_roles(person) == {roles.MEMBERS}


def test_deleting_an_organisation_period_in_the_admin_takes_its_peoples_roles(staff_client):
    organisation = OrganisationFactory()
    person = person_of(organisation)
    period = OrganisationMembershipFactory(organisation=organisation, tier="premium", seats=2)
    response = staff_client.post(reverse("members_organisation_memberships:delete", args=[period.pk]))
    assert response.status_code == 302
    assert tier_roles(person) == set()


def test_moving_a_person_to_an_organisation_in_the_admin_gives_its_roles(staff_client):
    organisation = OrganisationFactory()
    OrganisationMembershipFactory(organisation=organisation, tier="premium", seats=2)
    profile = ProfileFactory()
    response = staff_client.post(
        reverse("members_profiles:edit", args=[profile.pk]),
        {"display_name": "", "job_title": "CIO", "organisation": organisation.pk, "bio": "", "expertise": ""},
    )
    assert response.status_code == 302
    assert tier_roles(profile.user) == BOTH
