"""Staff anonymise a departed member in one action: the person disappears, the club's counts and history stay."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.admin.utils import get_user_display_name
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Collection, ModelLogEntry, PageLogEntry

from members import personal_data, privacy_services, roles, services
from members.models import CharterSignature, Invitation, Membership, MembershipRequest, Profile
from search.models import SearchDocument
from tests.factories.members import (
    InvitationFactory,
    MembershipRequestFactory,
    OrganisationFactory,
    make_member,
    make_staff,
    today,
)
from tests.factories.working_groups import GroupMembershipFactory, MeetingNotePageFactory, make_group
from working_groups.models import GroupMembership

pytestmark = pytest.mark.django_db

NAME, EMAIL = "Hélène Dubois", "helene@example.org"


def anonymise_url(user):
    return reverse("members_anonymise", args=[user.pk])


def everything_logged():
    """Every audit entry's label and data, as text."""
    return [f"{entry.label} {entry.data}" for model in (ModelLogEntry, PageLogEntry) for entry in model.objects.all()]


@pytest.fixture
def departed(groups_index):
    """A member whose membership ended, with a profile full of personal data and a trail in the audit log."""
    user = make_member("premium", expired=True, first_name="Hélène", last_name="Dubois", username=EMAIL)
    profile = user.profile
    profile.display_name = ""
    profile.job_title = "DSI"
    profile.organisation = OrganisationFactory(name="Brasserie Lupulus")
    profile.bio = "Hélène aime le cloud"
    profile.linkedin_url = "https://www.linkedin.com/in/helene"
    profile.phone = "+32 470 00 00 00"
    profile.languages = ["fr"]
    profile.show_email = profile.show_phone = profile.show_bio = True
    profile.expertise.add("cloud")
    profile.save()
    services.feed_token_for(user)
    InvitationFactory(email=EMAIL, accepted_by=user, state="accepted", message="Bienvenue Hélène")
    MembershipRequestFactory(user=user, message="Je reviens bientôt", state="handled")
    group = make_group(groups_index, title="Cloud", members=[user])
    note = MeetingNotePageFactory(parent=group, title="Réunion d'avril", owner=user)
    note.attendees.add(user)
    note.save_revision(user=user).publish(user=user, skip_permission_checks=True)
    # What the audit log holds about her: actions on her account, her membership, her request.
    log(user, "cercle.roles.change", data={"added": ["Membres"]})
    log(MembershipRequest.objects.get(user=user), "cercle.membership_request.send", user=user)
    log(note, "wagtail.edit", user=user, data={"title": f"Notes prises par {NAME}"})
    return user


def counts(user):
    return {
        "memberships": Membership.objects.filter(user=user).count(),
        "signatures": CharterSignature.objects.filter(user=user).count(),
        "groups": GroupMembership.objects.filter(user=user).count(),
        "requests": MembershipRequest.objects.filter(user=user).count(),
        "invitations": Invitation.objects.filter(accepted_by=user).count(),
    }


def test_personal_fields_are_erased(departed, staff):
    before = counts(departed)
    result = privacy_services.anonymise_member(departed, by=staff)
    assert result.done
    user = get_user_model().objects.get(pk=departed.pk)
    assert (user.first_name, user.last_name) == ("Ancien membre", "")
    assert user.email == user.username == f"ancien-membre-{user.pk}@anonyme.invalid"
    assert not user.has_usable_password() and not user.is_active
    assert not user.groups.exists()
    assert services.person_name(user) == "Ancien membre"
    profile = Profile.objects.get(user=user)
    assert profile.anonymised_at is not None
    for field in ("display_name", "job_title", "bio", "linkedin_url", "phone", "feed_token"):
        assert getattr(profile, field) == "", field
    assert profile.organisation is None and profile.photo is None and profile.languages == []
    assert not profile.expertise.exists()
    assert not profile.shown_fields
    assert not (profile.notify_digest or profile.notify_events or profile.notify_group_notes)
    assert counts(user) == before
    assert Invitation.objects.get(accepted_by=user).message == ""
    assert MembershipRequest.objects.get(user=user).message == ""


def test_pages_stay_credited_to_ancien_membre(departed, staff):
    note = departed.group_memberships.get().group.get_children().get().specific
    privacy_services.anonymise_member(departed, by=staff)
    note.refresh_from_db()
    assert note.owner_id == departed.pk
    assert get_user_display_name(note.owner) == "Ancien membre"


def test_audit_entries_are_kept_without_the_name(departed, staff):
    entries_before = ModelLogEntry.objects.count() + PageLogEntry.objects.count()
    assert any(NAME in text or EMAIL in text for text in everything_logged())
    result = privacy_services.anonymise_member(departed, by=staff)
    assert result.log_entries_scrubbed >= 3
    assert ModelLogEntry.objects.count() + PageLogEntry.objects.count() == entries_before + 1
    for text in everything_logged():
        assert "Hélène" not in text and EMAIL not in text, text
    assert PageLogEntry.objects.filter(data__title="Notes prises par Ancien membre").exists()


def test_the_anonymisation_is_logged_without_the_name(departed, staff):
    privacy_services.anonymise_member(departed, by=staff)
    entry = ModelLogEntry.objects.get(action=privacy_services.ACTION)
    assert entry.user_id == staff.pk
    assert entry.object_id == str(departed.pk)
    assert "Hélène" not in entry.label and "Dubois" not in entry.label and EMAIL not in str(entry.data)


def test_search_document_of_the_person_is_gone(departed, staff):
    # A current member has one; an expired one not: give her a valid membership and anonymise on request.
    services.renew_membership(departed, tier="basic", by=staff)
    departed.refresh_from_db()
    key = f"person:{departed.profile.pk}"
    assert SearchDocument.objects.filter(key=key).exists()
    privacy_services.anonymise_member(departed, by=staff, force=True)
    assert not SearchDocument.objects.filter(key=key).exists()
    assert not SearchDocument.objects.filter(title__icontains="Hélène").exists()


def test_meeting_notes_no_longer_name_her_in_search(departed, staff):
    assert SearchDocument.objects.filter(kind="meeting_note", body__icontains="Hélène").exists()
    privacy_services.anonymise_member(departed, by=staff)
    assert not SearchDocument.objects.filter(body__icontains="Hélène").exists()
    assert SearchDocument.objects.filter(kind="meeting_note", body__icontains="Ancien membre").exists()


def test_photo_she_uploaded_is_deleted(departed, staff, django_capture_on_commit_callbacks):
    from tests.members.test_profile import image_upload

    image = get_image_model()(
        title=NAME, file=image_upload(), collection=Collection.get_first_root_node(), uploaded_by_user=departed
    )
    image._set_image_file_metadata()
    image.save()
    departed.profile.photo = image
    departed.profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        result = privacy_services.anonymise_member(departed, by=staff)
    assert result.photo_deleted
    assert not get_image_model().objects.filter(pk=image.pk).exists()


def test_second_run_changes_nothing(departed, staff):
    privacy_services.anonymise_member(departed, by=staff)
    entries = ModelLogEntry.objects.count()
    stamp = Profile.objects.get(user=departed).anonymised_at
    result = privacy_services.anonymise_member(departed, by=staff)
    assert not result.done
    assert ModelLogEntry.objects.count() == entries
    assert Profile.objects.get(user=departed).anonymised_at == stamp


def test_every_registered_part_is_asked_to_anonymise(departed, staff):
    seen = []
    part = personal_data.PersonalData("test_part", "Test", lambda user: [], anonymise=seen.append)
    personal_data.register_personal_data(part)
    try:
        privacy_services.anonymise_member(departed, by=staff)
    finally:
        personal_data._registry.pop("test_part")
    assert [user.pk for user in seen] == [departed.pk]


def test_pending_group_requests_go_memberships_stay(departed, staff, groups_index):
    group = make_group(groups_index, join_policy="request")
    GroupMembershipFactory(group=group, user=departed, state="requested")
    privacy_services.anonymise_member(departed, by=staff)
    assert GroupMembership.objects.filter(user=departed).count() == 1  # the active one


def test_staff_accounts_are_refused(staff):
    other = make_staff()
    with pytest.raises(privacy_services.AnonymisationRefused) as refused:
        privacy_services.anonymise_member(other, by=staff)
    assert refused.value.reason == "staff"
    assert get_user_model().objects.get(pk=other.pk).is_active


def test_valid_membership_is_refused_unless_forced(staff):
    member = make_member()
    with pytest.raises(privacy_services.AnonymisationRefused):
        privacy_services.anonymise_member(member, by=staff)
    assert privacy_services.anonymise_member(member, by=staff, force=True).done
    assert ModelLogEntry.objects.get(action=privacy_services.ACTION).data["forced"] is True


def test_her_open_sessions_end(client, departed, staff):
    client.force_login(departed)
    assert client.get(reverse("members:my_data")).status_code == 200
    privacy_services.anonymise_member(departed, by=staff)
    assert client.get(reverse("members:my_data")).status_code == 302


# --- The admin ----------------------------------------------------------------------------------


def test_confirmation_page_says_what_will_happen(staff_client, departed):
    response = staff_client.get(anonymise_url(departed))
    assert response.status_code == 200
    assert b'data-testid="anonymise-effects"' in response.content
    assert b"anonymise-valid-warning" not in response.content
    assert get_user_model().objects.get(pk=departed.pk).is_active


def test_staff_anonymise_from_the_admin(staff_client, departed):
    response = staff_client.post(anonymise_url(departed))
    assert response.status_code == 302
    assert Profile.objects.get(user=departed).anonymised_at is not None
    # Again: nothing more happens.
    assert staff_client.post(anonymise_url(departed)).status_code == 302
    assert ModelLogEntry.objects.filter(action=privacy_services.ACTION).count() == 1


def test_admin_warns_about_a_valid_membership_and_needs_the_box(staff_client):
    member = make_member()
    page = staff_client.get(anonymise_url(member))
    assert b"anonymise-valid-warning" in page.content
    response = staff_client.post(anonymise_url(member))
    assert response.status_code == 400
    assert Profile.objects.get(user=member).anonymised_at is None
    assert staff_client.post(anonymise_url(member), {"force": "on"}).status_code == 302
    assert Profile.objects.get(user=member).anonymised_at is not None


def test_admin_refuses_a_staff_account(staff_client):
    other = make_staff()
    response = staff_client.post(anonymise_url(other))
    assert response.status_code == 409
    assert get_user_model().objects.get(pk=other.pk).is_active


@pytest.mark.parametrize("role", [roles.TECHWATCH_EDITORS, roles.GROUP_LEADS, roles.TECHWATCH_CONTRIBUTORS])
def test_editors_and_leads_are_forbidden(client, departed, role):
    client.force_login(make_member("premium", roles_=[role]))
    for method in (client.get, client.post):
        assert method(anonymise_url(departed)).status_code == 403
    assert Profile.objects.get(user=departed).anonymised_at is None


def test_members_and_visitors_do_not_reach_it(client, departed):
    assert client.post(anonymise_url(departed)).status_code == 302  # to the admin's log-in
    client.force_login(make_member())
    assert client.post(anonymise_url(departed)).status_code in (302, 403)
    assert Profile.objects.get(user=departed).anonymised_at is None


def test_unknown_person_is_a_404(staff_client):
    assert staff_client.get("/admin/members/anonymise/999999/").status_code == 404
    assert staff_client.get("/admin/members/anonymise/99999999999999999999999/").status_code == 404


def test_users_list_offers_the_button_to_staff(staff_client, departed):
    response = staff_client.get(reverse("wagtailusers_users:index"))
    assert anonymise_url(departed).encode() in response.content


def test_the_profiles_list_offers_the_button_to_staff(staff_client, departed):
    response = staff_client.get(reverse("members_profiles:index"))
    assert response.status_code == 200
    assert anonymise_url(departed).encode() in response.content


def test_expired_member_has_no_valid_membership_to_warn_about(departed):
    assert Membership.objects.filter(user=departed, valid_until__lt=today()).exists()
    assert privacy_services.refusal(departed) is None
