import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from members import services
from members.models import DIRECTORY_FIELDS, Profile, Tier
from tests.factories.members import (
    OrganisationFactory,
    OrganisationMembershipFactory,
    ProfileFactory,
    UserFactory,
    make_member,
)
from tests.factories.working_groups import make_group
from working_groups.models import ClusterInterest

pytestmark = pytest.mark.django_db

PROFILE = reverse("members:profile")


@pytest.fixture
def clusters(groups_index):
    """Two cluster pages every member may know of, and a private one known to its own members only."""
    return {
        "web": make_group(groups_index, kind="cluster", visibility="premium", title="Web"),
        "security": make_group(groups_index, kind="cluster", visibility="premium", title="Sécurité"),
        "board": make_group(groups_index, kind="cluster", visibility="private", title="Grappe du conseil"),
    }


def interests(user):
    return set(ClusterInterest.objects.filter(profile__user=user).values_list("cluster__title", flat=True))


def member(tier="basic", **kwargs):
    user = make_member(tier, **kwargs)
    services.sync_user_groups(user)
    return user


def image_upload(name="photo.png", image_format="PNG", size=(40, 40)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (11, 79, 138)).save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def error_codes(response, field):
    """The codes of a field's errors: tests hold whatever language the page speaks."""
    return [error.code for error in response.context["form"].errors.as_data()[field]]


def valid_data(**overrides):
    data = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "display_name": "Ada L.",
        "job_title": "Chief Information Officer",
        "bio": "Thirty years of computing.",
        "expertise": "cloud, cybersecurity, ERP",
        "clusters": [],
        "languages": ["fr", "en"],
        "linkedin_url": "https://www.linkedin.com/in/ada",
        "phone": "+32 2 555 01 23",
        "show_phone": "on",
        "show_job_title": "on",
        "notify_digest": "on",
        "notify_events": "on",
    }
    data.update(overrides)
    return data


# --- Who may edit --------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={PROFILE}"


def test_member_sees_their_profile_form_and_membership(client):
    client.force_login(member("premium"))
    response = client.get(PROFILE)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="profile-form"' in html
    assert response.context["status"]["tier"] == Tier.PREMIUM.label
    assert response.context["status"]["valid_until"] is not None


def test_an_account_without_a_profile_gets_one(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(PROFILE).status_code == 200
    assert Profile.objects.filter(user=user).exists()


def test_expired_member_keeps_editing_their_profile_and_is_told_to_renew(client):
    user = member(expired=True)
    client.force_login(user)
    response = client.get(PROFILE)
    assert response.status_code == 200
    assert 'data-testid="membership-expired"' in response.content.decode()
    response = client.post(PROFILE, valid_data(job_title="Consultant"))
    assert response.status_code == 302
    user.profile.refresh_from_db()
    assert user.profile.job_title == "Consultant"


def test_membership_through_the_organisation_is_shown_with_its_end_date(client):
    organisation = OrganisationFactory()
    period = OrganisationMembershipFactory(organisation=organisation, tier="premium")
    user = UserFactory()
    ProfileFactory(user=user, organisation=organisation)
    client.force_login(user)
    status = client.get(PROFILE).context["status"]
    assert status["through_organisation"]
    assert status["valid_until"] == period.valid_until


# --- Saving --------------------------------------------------------------------------------------


def test_saving_the_profile_stores_every_field_and_the_tags(client, clusters):
    user = member()
    client.force_login(user)
    response = client.post(PROFILE, valid_data(clusters=[clusters["web"].pk, clusters["security"].pk]))
    assert response.status_code == 302
    assert response.url == PROFILE
    user.refresh_from_db()
    profile = Profile.objects.get(user=user)
    assert (user.first_name, user.last_name) == ("Ada", "Lovelace")
    assert profile.display_name == "Ada L."
    assert profile.job_title == "Chief Information Officer"
    assert profile.bio == "Thirty years of computing."
    assert sorted(tag.name for tag in profile.expertise.all()) == ["ERP", "cloud", "cybersecurity"]
    assert interests(user) == {"Web", "Sécurité"}
    assert profile.languages == ["fr", "en"]
    assert profile.linkedin_url == "https://www.linkedin.com/in/ada"
    assert profile.phone == "+32 2 555 01 23"
    assert profile.shown_fields == {"phone", "job_title"}  # ticked; every other field stays hidden
    assert (profile.notify_digest, profile.notify_group_notes, profile.notify_events) == (True, False, True)


def test_saving_says_so_and_shows_the_new_values(client):
    client.force_login(member())
    response = client.post(PROFILE, valid_data(), follow=True)
    html = response.content.decode()
    assert "message--success" in html
    assert 'value="Chief Information Officer"' in html
    assert "cybersecurity" in html


def test_removing_tags_and_clusters_empties_them(client, clusters):
    user = member()
    client.force_login(user)
    client.post(PROFILE, valid_data(clusters=[clusters["web"].pk]))
    assert interests(user) == {"Web"}
    client.post(PROFILE, valid_data(expertise="", clusters=[]))
    profile = Profile.objects.get(user=user)
    assert list(profile.expertise.all()) == []
    assert interests(user) == set()


def test_the_organisation_cannot_be_changed_from_the_profile(client):
    mine = OrganisationFactory(name="Mine SA")
    other = OrganisationFactory(name="Other SA")
    user = member()
    user.profile.organisation = mine
    user.profile.save()
    client.force_login(user)
    assert "Mine SA" in client.get(PROFILE).content.decode()
    client.post(PROFILE, valid_data(organisation=other.pk))
    user.profile.refresh_from_db()
    assert user.profile.organisation == mine


# --- Bad input -----------------------------------------------------------------------------------


def test_invalid_linkedin_address_is_a_400_that_keeps_what_was_typed(client):
    user = member()
    client.force_login(user)
    response = client.post(PROFILE, valid_data(linkedin_url="not a url"))
    html = response.content.decode()
    assert response.status_code == 400
    assert len(response.context["form"].errors["linkedin_url"]) == 1  # one clear message, not two
    assert 'value="Chief Information Officer"' in html
    assert "Thirty years of computing." in html
    assert 'value="cloud, cybersecurity, ERP"' in html
    assert 'value="Lovelace"' in html
    user.profile.refresh_from_db()
    assert user.profile.job_title == "DSI"  # nothing saved


def test_an_address_outside_linkedin_is_refused(client):
    client.force_login(member())
    response = client.post(PROFILE, valid_data(linkedin_url="https://evil.example/in/ada"))
    assert response.status_code == 400
    assert error_codes(response, "linkedin_url") == ["not_linkedin"]


def test_a_phone_number_with_letters_is_refused(client):
    client.force_login(member())
    response = client.post(PROFILE, valid_data(phone="call me maybe"))
    assert response.status_code == 400
    assert response.context["form"].errors["phone"]


def test_names_are_required(client):
    client.force_login(member())
    response = client.post(PROFILE, valid_data(first_name=""))
    assert response.status_code == 400
    assert response.context["account_form"].errors["first_name"]


def test_unknown_cluster_is_refused_not_stored(client, clusters):
    user = member()
    client.force_login(user)
    response = client.post(PROFILE, valid_data(clusters=[clusters["web"].pk, "quantum"]))
    assert response.status_code == 400
    assert interests(user) == set()


def test_a_private_cluster_cannot_be_chosen_by_an_outsider(client, clusters):
    user = member()
    client.force_login(user)
    response = client.post(PROFILE, valid_data(clusters=[clusters["board"].pk]))
    assert response.status_code == 400
    assert interests(user) == set()


def test_the_clusters_offered_are_the_live_cluster_pages_the_member_may_know_of(client, groups_index, clusters):
    user = member()
    client.force_login(user)

    def offered():
        return {label for _value, label in client.get(PROFILE).context["form"].fields["clusters"].choices}

    assert offered() == {"Web", "Sécurité"}  # not the private cluster, not the thematic groups

    make_group(groups_index, kind="cluster", visibility="premium", title="Informatique quantique")
    make_group(groups_index, kind="thematic", title="Gouvernance IT")
    clusters["security"].unpublish()
    assert offered() == {"Web", "Informatique quantique"}


def test_a_private_cluster_is_offered_to_its_own_members(client, clusters):
    from tests.factories.working_groups import GroupMembershipFactory

    user = member()
    GroupMembershipFactory(group=clusters["board"], user=user)
    client.force_login(user)
    response = client.post(PROFILE, valid_data(clusters=[clusters["board"].pk]))
    assert response.status_code == 302
    assert interests(user) == {"Grappe du conseil"}


# --- The photo -----------------------------------------------------------------------------------


def test_a_photo_becomes_a_wagtail_image_in_the_root_collection(client):
    user = member()
    client.force_login(user)
    response = client.post(PROFILE, valid_data(photo_upload=image_upload()))
    assert response.status_code == 302
    profile = Profile.objects.select_related("photo").get(user=user)
    assert profile.photo is not None
    assert profile.photo.title == "Ada L."
    assert profile.photo.collection == Collection.get_first_root_node()
    assert profile.photo.uploaded_by_user == user
    assert (profile.photo.width, profile.photo.height) == (40, 40)
    assert 'class="profile-photo"' in client.get(PROFILE).content.decode()


def test_a_file_that_is_not_an_image_is_refused_with_a_message(client):
    user = member()
    client.force_login(user)
    fake = SimpleUploadedFile("photo.png", b"%PDF-1.4 this is not an image", content_type="image/png")
    response = client.post(PROFILE, valid_data(photo_upload=fake))
    assert response.status_code == 400
    assert error_codes(response, "photo_upload") == ["invalid_image"]
    assert 'data-testid="photo-not-saved"' in response.content.decode()
    assert not get_image_model().objects.exists()
    user.profile.refresh_from_db()
    assert user.profile.photo is None


def test_an_image_of_an_unaccepted_format_is_refused(client):
    client.force_login(member())
    response = client.post(PROFILE, valid_data(photo_upload=image_upload("photo.tiff", "TIFF")))
    assert response.status_code == 400
    assert error_codes(response, "photo_upload") == ["invalid_format"]


def test_a_photo_over_5_mb_is_refused(client):
    client.force_login(member())
    big = image_upload("photo.bmp", "BMP", size=(1400, 1400))  # about 5.9 MB uncompressed
    assert big.size > 5 * 1024 * 1024
    response = client.post(PROFILE, valid_data(photo_upload=big))
    assert response.status_code == 400
    assert error_codes(response, "photo_upload") == ["too_large"]
    assert 'data-testid="form-errors"' in response.content.decode()
    assert not get_image_model().objects.exists()


def test_the_photo_can_be_removed(client):
    user = member()
    client.force_login(user)
    client.post(PROFILE, valid_data(photo_upload=image_upload()))
    client.post(PROFILE, valid_data(remove_photo="on"))
    user.profile.refresh_from_db()
    assert user.profile.photo is None


# --- What other members see: opt-in, field by field -----------------------------------------------


def test_every_directory_field_has_its_members_see_it_switch_beside_it(client):
    client.force_login(member())
    response = client.get(PROFILE)
    html = response.content.decode()
    for field in DIRECTORY_FIELDS:
        assert f'data-testid="pair-show_{field}"' in html
        assert f'name="show_{field}"' in html
    # Each switch sits with its field: the job title's pair holds the job title's input.
    pair = html.split('data-testid="pair-show_job_title"')[1].split('data-testid="pair-')[0]
    assert 'name="job_title"' in pair
    assert 'data-testid="visibility-intro"' in html
    assert "tout le reste leur reste caché" in html


def test_a_new_profile_shows_nothing_to_members(client):
    user = UserFactory()
    client.force_login(user)
    html = client.get(PROFILE).content.decode()
    assert Profile.objects.get(user=user).shown_fields == frozenset()
    for field in DIRECTORY_FIELDS:
        assert f'name="show_{field}" id="id_show_{field}" checked' not in html


def test_the_old_visibility_radio_buttons_are_gone(client):
    client.force_login(member())
    html = client.get(PROFILE).content.decode()
    assert "phone_visibility" not in html and "email_visibility" not in html
    # The only radio buttons left choose how discussions reach the member (e-mail at once, daily, never).
    assert set(re.findall(r'type="radio" name="([^"]+)"', html)) == {"notify_discussions"}


def test_ticking_and_unticking_switches_changes_what_members_see(client):
    user = member()
    client.force_login(user)
    data = valid_data()
    data.update({f"show_{field}": "on" for field in DIRECTORY_FIELDS})
    assert client.post(PROFILE, data).status_code == 302
    assert Profile.objects.get(user=user).shown_fields == frozenset(DIRECTORY_FIELDS)
    data = valid_data()
    del data["show_phone"]
    assert client.post(PROFILE, data).status_code == 302
    assert Profile.objects.get(user=user).shown_fields == {"job_title"}


def test_an_invalid_form_keeps_the_switches_as_ticked(client):
    client.force_login(member())
    response = client.post(PROFILE, valid_data(linkedin_url="not a url", show_bio="on"))
    assert response.status_code == 400
    assert 'name="show_bio" id="id_show_bio" checked' in response.content.decode()
