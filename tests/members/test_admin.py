"""The staff's "Members" section of the Wagtail admin: listings, exports, invitations, charter, audit log."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import rich_text

from members import roles
from members.models import Charter, Invitation, Membership, Organisation
from tests.factories.members import (
    CharterFactory,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    ProfileFactory,
    UserFactory,
    make_member,
)

pytestmark = pytest.mark.django_db

LISTINGS = [
    "members_memberships:index",
    "members_organisations:index",
    "members_organisation_memberships:index",
    "members_invitations:index",
    "members_charters:index",
    "members_charter_signatures:index",
    "members_profiles:index",
    "members_import:index",
]


def logs(instance, action):
    return ModelLogEntry.objects.for_instance(instance).filter(action=action)


def csv_lines(response):
    assert response["Content-Type"].startswith("text/csv")
    return b"".join(response.streaming_content).decode().splitlines()


# --- Who gets in ---------------------------------------------------------------------------------


def test_club_staff_hold_the_permissions_of_the_members_section():
    staff_group = Group.objects.get(name=roles.CLUB_STAFF)
    codenames = set(
        staff_group.permissions.filter(content_type__app_label="members").values_list("codename", flat=True)
    )
    assert {
        "add_membership",
        "change_membership",
        "delete_membership",
        "add_organisation",
        "add_invitation",
        "change_invitation",
        "add_charter",
        "view_chartersignature",
        "change_profile",
    } <= codenames
    assert "delete_invitation" not in codenames  # an invitation is revoked, never erased


@pytest.mark.parametrize("url_name", LISTINGS)
def test_staff_reach_every_page_of_the_members_section(staff_client, url_name):
    assert staff_client.get(reverse(url_name)).status_code == 200


def test_the_admin_menu_leads_staff_to_the_members_section(staff_client):
    content = staff_client.get(reverse("wagtailadmin_home")).content.decode()
    for url_name in LISTINGS:
        assert reverse(url_name) in content


@pytest.mark.parametrize("url_name", LISTINGS)
def test_a_member_without_admin_access_is_turned_away(client, url_name):
    MembershipFactory(user__username="jean@example.org", user__email="jean@example.org")
    client.force_login(make_member("premium"))
    response = client.get(reverse(url_name))
    assert response.status_code in (302, 403)
    assert b"jean@example.org" not in response.content


def test_a_group_lead_with_admin_access_but_no_members_permission_is_refused_the_listings(client):
    lead = make_member(roles_=[roles.GROUP_LEADS])
    client.force_login(lead)
    response = client.get(reverse("members_memberships:index"))
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert client.get(reverse("members_import:index")).status_code == 302


@pytest.mark.parametrize("url_name", [name for name in LISTINGS if name != "members_import:index"])
@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_every_listing_exports_its_rows(staff_client, staff, url_name, export):
    period = OrganisationMembershipFactory(organisation__name="Acme SA")
    ProfileFactory(user=staff, organisation=period.organisation)
    InvitationFactory(invited_by=staff, organisation=period.organisation)
    response = staff_client.get(reverse(url_name), {"export": export})
    assert response.status_code == 200
    if export == "csv":
        assert len(csv_lines(response)) >= 2  # a heading and at least one row
    else:
        rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
        assert len(rows) >= 2


# --- Memberships ---------------------------------------------------------------------------------


def test_membership_listing_searches_by_name_and_e_mail(staff_client):
    alice = make_member(
        first_name="Alice", last_name="Vandamme", username="alice@example.org", email="alice@example.org"
    )
    make_member(first_name="Bruno", last_name="Lemaire", username="bruno@example.org", email="bruno@example.org")
    response = staff_client.get(reverse("members_memberships:index"), {"q": "vandam"})
    assert [m.user for m in response.context["object_list"]] == [alice]
    response = staff_client.get(reverse("members_memberships:index"), {"q": "bruno@"})
    assert [m.user.email for m in response.context["object_list"]] == ["bruno@example.org"]


def test_membership_listing_filters_by_tier_and_validity(staff_client, staff):
    expired = make_member("basic", expired=True)
    premium = make_member("premium")
    index = reverse("members_memberships:index")

    ended = staff_client.get(index, {"validity": "ended"}).context["object_list"]
    assert [m.user for m in ended] == [expired]
    premium_now = staff_client.get(index, {"tier": "premium", "validity": "current"}).context["object_list"]
    assert {m.user for m in premium_now} == {premium, staff}


def test_memberships_export_to_csv_in_the_import_format(staff_client):
    organisation = OrganisationFactory(name="Acme SA")
    member = make_member("premium", first_name="Alice", last_name="Vandamme", email="alice@example.org")
    Membership.objects.filter(user=member).update(organisation=organisation)
    lines = csv_lines(staff_client.get(reverse("members_memberships:index"), {"export": "csv"}))
    assert lines[0] == "email,first_name,last_name,category,tier,valid_from,valid_until,organisation,fee"
    membership = Membership.objects.get(user=member)
    period = f"{membership.valid_from},{membership.valid_until}"
    assert f"alice@example.org,Alice,Vandamme,adherent,premium,{period},Acme SA,0.00" in lines


def test_memberships_export_to_xlsx(staff_client):
    make_member(email="alice@example.org")
    response = staff_client.get(reverse("members_memberships:index"), {"export": "xlsx"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    emails = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert emails[0] == "email"
    assert "alice@example.org" in emails


def test_creating_a_membership_in_the_admin_is_audited_and_gives_the_premium_role(staff_client, staff):
    person = UserFactory()
    today = timezone.localdate()
    response = staff_client.post(
        reverse("members_memberships:add"),
        {
            "user": person.pk,
            "category": "adherent",
            "tier": "premium",
            "valid_from": today.isoformat(),
            "valid_until": (today + datetime.timedelta(days=364)).isoformat(),
            "fee": "450.00",
            "organisation": "",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=person)
    assert logs(membership, "wagtail.create").get().user == staff
    assert set(person.groups.values_list("name", flat=True)) == {roles.MEMBERS, roles.PREMIUM_MEMBERS}


def test_editing_a_membership_is_audited_and_the_roles_follow(staff_client, staff):
    member = make_member("basic")
    membership = Membership.objects.get(user=member)
    response = staff_client.post(
        reverse("members_memberships:edit", args=[membership.pk]),
        {
            "user": member.pk,
            "category": membership.category,
            "tier": "premium",
            "valid_from": membership.valid_from.isoformat(),
            "valid_until": membership.valid_until.isoformat(),
            "fee": "0",
            "organisation": "",
        },
    )
    assert response.status_code == 302
    assert logs(membership, "wagtail.edit").get().user == staff
    assert member.groups.filter(name=roles.PREMIUM_MEMBERS).exists()


def test_deleting_a_membership_is_audited_and_takes_the_role_away(staff_client, staff):
    from members import services

    member = make_member("premium")
    services.sync_user_groups(member)
    membership = Membership.objects.get(user=member)
    response = staff_client.post(reverse("members_memberships:delete", args=[membership.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert ModelLogEntry.objects.get(action="wagtail.delete", object_id=str(membership.pk)).user == staff
    assert not member.groups.filter(name__in=[roles.MEMBERS, roles.PREMIUM_MEMBERS]).exists()


def test_a_membership_that_ends_before_it_starts_is_refused(staff_client):
    person = UserFactory()
    response = staff_client.post(
        reverse("members_memberships:add"),
        {
            "user": person.pk,
            "category": "adherent",
            "tier": "basic",
            "valid_from": "2026-06-01",
            "valid_until": "2026-05-31",
            "fee": "0",
        },
    )
    assert response.status_code == 200
    assert "The period ends before it starts." in response.content.decode()
    assert not Membership.objects.filter(user=person).exists()


# --- Organisations -------------------------------------------------------------------------------


def test_organisation_listing_shows_current_tier_and_seats_and_filters_by_kind(staff_client):
    OrganisationMembershipFactory(organisation__name="Acme SA", organisation__kind="corporate", tier="premium", seats=3)
    OrganisationFactory(name="Ville de Mons", kind="public")
    index = reverse("members_organisations:index")

    rows = staff_client.get(index, {"kind": "corporate"}).context["object_list"]
    assert [(o.name, o.current_tier, o.current_seats) for o in rows] == [("Acme SA", "premium", 3)]
    assert [o.name for o in staff_client.get(index, {"q": "mons"}).context["object_list"]] == ["Ville de Mons"]


def test_organisations_export_to_csv_with_their_current_tier(staff_client):
    OrganisationMembershipFactory(organisation__name="Acme SA", organisation__kind="corporate", tier="premium", seats=3)
    lines = csv_lines(staff_client.get(reverse("members_organisations:index"), {"export": "csv"}))
    assert lines[0] == "Name,Kind,Website,Current tier,Seats,People"
    assert "Acme SA,Corporate,,Premium,3,0" in lines


def test_an_organisation_with_history_cannot_be_deleted(staff_client):
    period = OrganisationMembershipFactory()
    response = staff_client.post(reverse("members_organisations:delete", args=[period.organisation.pk]))
    assert response.status_code == 409
    assert Organisation.objects.filter(pk=period.organisation.pk).exists()


def test_an_organisation_without_history_can_be_deleted_and_it_is_audited(staff_client):
    organisation = OrganisationFactory()
    response = staff_client.post(reverse("members_organisations:delete", args=[organisation.pk]))
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=organisation.pk).exists()
    assert ModelLogEntry.objects.filter(action="wagtail.delete", object_id=str(organisation.pk)).exists()


def test_a_new_organisation_period_gives_its_people_their_roles(staff_client):
    organisation = OrganisationFactory()
    person = ProfileFactory(organisation=organisation, joined_organisation_at=timezone.now()).user
    today = timezone.localdate()
    response = staff_client.post(
        reverse("members_organisation_memberships:add"),
        {
            "organisation": organisation.pk,
            "tier": "premium",
            "seats": "2",
            "fee": "1200",
            "valid_from": today.isoformat(),
            "valid_until": (today + datetime.timedelta(days=364)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert person.groups.filter(name=roles.PREMIUM_MEMBERS).exists()


# --- Invitations ---------------------------------------------------------------------------------


def test_inviting_from_the_admin_sends_one_e_mail_and_is_audited(
    staff_client, staff, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("members_invitations:add"),
            {
                "email": " Claire@Example.org ",
                "tier": "premium",
                "category": "effective",
                "organisation": organisation.pk,
                "message": "Bienvenue",
            },
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.state, invitation.invited_by) == ("claire@example.org", "sent", staff)
    assert invitation.token_hash and invitation.expires_at > timezone.now()
    assert [message.to for message in mail.outbox] == [["claire@example.org"]]
    assert logs(invitation, "cercle.invitation.send").get().user == staff


def test_inviting_someone_who_has_an_account_is_refused_and_sends_nothing(
    staff_client, django_capture_on_commit_callbacks
):
    make_member(email="alice@example.org", username="alice@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("members_invitations:add"), {"email": "alice@example.org", "tier": "basic", "category": "adherent"}
        )
    assert response.status_code == 200
    assert "already has an account" in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_invitation_listing_filters_by_state_and_exports(staff_client, staff):
    InvitationFactory(email="open@example.org", invited_by=staff)
    InvitationFactory(email="late@example.org", expires_at=timezone.now() - datetime.timedelta(days=1))
    InvitationFactory(email="gone@example.org", state="revoked")
    index = reverse("members_invitations:index")

    assert [i.email for i in staff_client.get(index, {"state": "sent"}).context["object_list"]] == ["open@example.org"]
    assert [i.email for i in staff_client.get(index, {"state": "expired"}).context["object_list"]] == [
        "late@example.org"
    ]
    lines = csv_lines(staff_client.get(index, {"export": "csv"}))
    assert any(line.startswith("open@example.org,basic,adherent,,Sent,") for line in lines)
    assert any(line.startswith("late@example.org,basic,adherent,,Expired,") for line in lines)


def test_open_invitations_offer_resend_and_revoke_in_the_listing_closed_ones_do_not(staff_client):
    open_one = InvitationFactory()
    accepted = InvitationFactory(state="accepted")
    content = staff_client.get(reverse("members_invitations:index")).content.decode()
    assert reverse("members_invitations:resend", args=[open_one.pk]) in content
    assert reverse("members_invitations:revoke", args=[open_one.pk]) in content
    assert reverse("members_invitations:revoke", args=[accepted.pk]) not in content
    assert reverse("members_invitations:edit", args=[accepted.pk]) not in content


def test_resending_gives_a_new_link_and_sends_it(staff_client, staff, django_capture_on_commit_callbacks):
    invitation = InvitationFactory(expires_at=timezone.now() - datetime.timedelta(days=1))
    old_hash = invitation.token_hash
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("members_invitations:resend", args=[invitation.pk]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.token_hash != old_hash
    assert invitation.is_open
    assert [message.to for message in mail.outbox] == [[invitation.email]]
    assert logs(invitation, "cercle.invitation.resend").get().user == staff


def test_the_resend_page_asks_for_confirmation_first(staff_client):
    invitation = InvitationFactory()
    response = staff_client.get(reverse("members_invitations:resend", args=[invitation.pk]))
    assert response.status_code == 200
    assert "Yes, send it again" in response.content.decode()
    assert mail.outbox == []


def test_revoking_kills_the_link_and_is_audited(staff_client, staff):
    invitation = InvitationFactory()
    response = staff_client.post(
        reverse("members_invitations:revoke", args=[invitation.pk]),
        {"next": reverse("members_invitations:index")},
    )
    assert response.status_code == 302
    assert response.url == reverse("members_invitations:index")
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.REVOKED
    assert logs(invitation, "cercle.invitation.revoke").get().user == staff


def test_revoking_an_accepted_invitation_is_refused_and_changes_nothing(staff_client):
    invitation = InvitationFactory(state="accepted", accepted_at=timezone.now())
    response = staff_client.post(reverse("members_invitations:revoke", args=[invitation.pk]))
    assert response.status_code == 409
    assert "can no longer be revoked" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.ACCEPTED
    assert not logs(invitation, "cercle.invitation.revoke").exists()


def test_resending_a_revoked_invitation_is_refused(staff_client, django_capture_on_commit_callbacks):
    invitation = InvitationFactory(state="revoked")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("members_invitations:resend", args=[invitation.pk]))
    assert response.status_code == 409
    assert mail.outbox == []
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.REVOKED


def test_an_open_invitation_can_change_tier_and_it_is_audited(staff_client, staff):
    invitation = InvitationFactory(tier="basic")
    response = staff_client.post(
        reverse("members_invitations:edit", args=[invitation.pk]),
        {"tier": "premium", "category": "adherent", "organisation": ""},
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.tier == "premium"
    assert logs(invitation, "wagtail.edit").get().user == staff


def test_an_accepted_invitation_cannot_be_edited(staff_client):
    invitation = InvitationFactory(state="accepted", tier="basic")
    edit_url = reverse("members_invitations:edit", args=[invitation.pk])
    assert staff_client.get(edit_url).url == reverse("members_invitations:inspect", args=[invitation.pk])
    response = staff_client.post(edit_url, {"tier": "premium", "category": "adherent"})
    assert response.status_code == 409
    invitation.refresh_from_db()
    assert invitation.tier == "basic"


# --- Charter -------------------------------------------------------------------------------------


def test_publishing_a_charter_version_in_the_admin_is_audited(staff_client, staff):
    response = staff_client.post(
        reverse("members_charters:add"),
        {
            "title": "Charte d'éthique",
            "version": "2.0",
            "effective_date": timezone.localdate().isoformat(),
            "body": rich_text("<p>Indépendance et loyauté.</p>"),
        },
    )
    assert response.status_code == 302
    charter = Charter.objects.get(version="2.0")
    assert "loyauté" in charter.body
    assert logs(charter, "cercle.charter.publish").get().user == staff


def test_charter_listing_counts_signatures(staff_client, staff):
    # make_staff signed the current charter
    charter = Charter.current()
    CharterFactory(effective_date=timezone.localdate() + datetime.timedelta(days=30))
    rows = {
        c.version: c.signature_count for c in staff_client.get(reverse("members_charters:index")).context["object_list"]
    }
    assert rows[charter.version] == 1
    assert len(rows) == 2


def test_a_signed_charter_version_cannot_be_rewritten(staff_client):
    charter = Charter.current()
    response = staff_client.post(
        reverse("members_charters:edit", args=[charter.pk]),
        {
            "title": charter.title,
            "version": charter.version,
            "effective_date": charter.effective_date.isoformat(),
            "body": rich_text("<p>Autre chose.</p>"),
        },
    )
    assert response.status_code == 409
    charter.refresh_from_db()
    assert "Autre chose" not in charter.body


def test_a_signed_charter_version_is_never_deleted_even_by_a_superuser(client):
    superuser = UserFactory(is_superuser=True)
    client.force_login(superuser)
    make_member()  # who signed the current version
    charter = Charter.current()
    response = client.post(reverse("members_charters:delete", args=[charter.pk]))
    assert response.status_code == 409
    assert Charter.objects.filter(pk=charter.pk).exists()


def test_charter_signatures_are_listed_read_only(staff_client, staff):
    response = staff_client.get(reverse("members_charter_signatures:index"))
    assert response.status_code == 200
    assert [s.user for s in response.context["object_list"]] == [staff]
    assert not response.context["can_add"]


# --- Profiles ------------------------------------------------------------------------------------


def test_profiles_are_not_created_in_the_admin(staff_client):
    assert staff_client.get("/admin/members/profiles/new/").status_code == 404
    assert staff_client.get(reverse("members_profiles:index")).status_code == 200


def test_moving_a_profile_to_an_organisation_dates_the_move(staff_client, staff):
    profile = ProfileFactory(display_name="Alice")
    organisation = OrganisationFactory()
    response = staff_client.post(
        reverse("members_profiles:edit", args=[profile.pk]),
        {"display_name": "Alice", "job_title": "CIO", "organisation": organisation.pk, "bio": "", "expertise": ""},
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.organisation == organisation
    assert profile.joined_organisation_at is not None
    assert logs(profile, "wagtail.edit").get().user == staff
