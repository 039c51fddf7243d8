import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from members import services
from members.access import FORBIDDEN_REASONS
from members.models import DIRECTORY_FIELDS, Organisation
from members.views.profile import CARD_PHOTO
from tests.factories.members import (
    CharterFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    ProfileFactory,
    UserFactory,
    make_member,
    make_staff,
)
from tests.factories.working_groups import GroupMembershipFactory, make_group
from working_groups.models import ClusterInterest

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("members:directory")


def give_photo(user):
    """A photo with its directory rendition already made, as after the first visit of the directory."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (120, 120), (11, 79, 138)).save(buffer, "PNG")
    image = get_image_model()(
        title=user.profile.name,
        file=SimpleUploadedFile("photo.png", buffer.getvalue()),
        collection=Collection.get_first_root_node(),
    )
    image.save()
    image.get_rendition(CARD_PHOTO)
    user.profile.photo = image
    user.profile.save()


def member(
    tier="basic", *, job_title="DSI", organisation=None, expertise=(), clusters=(), shows=DIRECTORY_FIELDS, **kwargs
):
    """A member as the site knows them: membership, signed charter, roles in step, a filled profile that
    shows other members the fields in `shows` (all of them unless said otherwise)."""
    user = make_member(tier, **kwargs)
    services.sync_user_groups(user)
    profile = user.profile
    profile.job_title = job_title
    profile.organisation = organisation
    profile.expertise.add(*expertise)  # in memory until the profile is saved (a cluster model)
    for field in DIRECTORY_FIELDS:
        setattr(profile, f"show_{field}", field in shows)
    profile.save()
    ClusterInterest.objects.bulk_create(ClusterInterest(profile=profile, cluster=page) for page in clusters)
    return user


@pytest.fixture
def clusters(groups_index):
    """The cluster pages (the working groups own them); the board's is private."""
    return {
        "web": make_group(groups_index, kind="cluster", visibility="premium", title="Web"),
        "iot": make_group(groups_index, kind="cluster", visibility="premium", title="Internet des objets"),
        "security": make_group(groups_index, kind="cluster", visibility="premium", title="Sécurité"),
        "board": make_group(groups_index, kind="cluster", visibility="private", title="Grappe du conseil"),
    }


def staff():
    user = make_staff()
    services.sync_user_groups(user)
    return user


def detail_url(user):
    return reverse("members:profile_detail", args=[user.pk])


# --- Who may open the directory ------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_log_in_then_back(client):
    response = client.get(DIRECTORY)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert response.url.endswith("?next=" + DIRECTORY)


@pytest.mark.parametrize("tier", ["basic", "premium"])
def test_members_of_either_tier_read_the_directory(client, tier):
    client.force_login(member(tier))
    response = client.get(DIRECTORY)
    assert response.status_code == 200
    assert 'data-testid="directory"' in response.content.decode()


def test_staff_read_the_directory(client):
    client.force_login(staff())
    assert client.get(DIRECTORY).status_code == 200


def test_expired_member_gets_403_with_a_renewal_notice(client):
    client.force_login(member(expired=True))
    response = client.get(DIRECTORY)
    assert response.status_code == 403
    assert response.context["reason"] == "renewal"
    assert response.context["message"] == FORBIDDEN_REASONS["renewal"]
    assert 'data-testid="forbidden-reason"' in response.content.decode()


def test_member_who_has_not_signed_the_current_charter_is_sent_to_sign_it(client):
    CharterFactory()
    client.force_login(member(signed=False))
    response = client.get(DIRECTORY)
    assert response.status_code == 302
    assert response.url.startswith(reverse("members:charter"))
    assert "next=" in response.url


def test_person_without_any_membership_gets_403_for_members(client):
    client.force_login(UserFactory())
    response = client.get(DIRECTORY)
    assert response.status_code == 403
    assert response.context["reason"] == "members"


# --- What it lists -------------------------------------------------------------------------------


def names_in(response):
    return {profile.name for profile in response.context["profiles"]}


def test_lists_current_members_only(client):
    viewer = member()
    current = member()
    gone = member(expired=True)
    outsider = UserFactory()
    client.force_login(viewer)
    names = names_in(client.get(DIRECTORY))
    assert current.profile.name in names
    assert viewer.profile.name in names
    assert gone.profile.name not in names
    assert outsider.get_full_name() not in names


def test_member_through_organisation_is_listed(client):
    organisation = OrganisationFactory()
    OrganisationMembershipFactory(organisation=organisation, seats=5)
    person = UserFactory()
    ProfileFactory(user=person, organisation=organisation)
    services.sync_user_groups(person)
    client.force_login(member())
    assert person.profile.name in names_in(client.get(DIRECTORY))


def test_card_shows_name_job_organisation_expertise_and_clusters(client, clusters):
    organisation = OrganisationFactory(name="Banque du Nord")
    member(
        job_title="Directrice informatique", organisation=organisation, expertise=["cloud"], clusters=[clusters["iot"]]
    )
    client.force_login(member())
    response = client.get(DIRECTORY)
    html = response.content.decode()
    assert "Directrice informatique" in html
    assert "Banque du Nord" in html
    assert '<li class="tag">cloud</li>' in html
    card = next(p for p in response.context["profiles"] if p.job_title == "Directrice informatique")
    assert card.cluster_labels == ["Internet des objets"]
    assert f'<span class="badge">{card.cluster_labels[0]}</span>' in html


@pytest.mark.parametrize(
    "query",
    ["Zorglub", "zorglub", "architecte", "Acme Systems", "blockchain", "Prénom-Z Zorglub"],
)
def test_search_matches_name_job_title_organisation_or_expertise(client, query):
    wanted = member(
        job_title="Architecte cloud",
        organisation=OrganisationFactory(name="Acme Systems"),
        expertise=["Blockchain"],
        first_name="Prénom-Z",
        last_name="Zorglub",
    )
    other = member(job_title="CFO", expertise=["finance"])
    client.force_login(member())
    names = names_in(client.get(DIRECTORY, {"q": query}))
    assert wanted.profile.name in names
    assert other.profile.name not in names


def test_search_with_no_match_says_so(client):
    client.force_login(member())
    response = client.get(DIRECTORY, {"q": "nobody-has-this"})
    assert response.status_code == 200
    assert 'data-testid="directory-empty"' in response.content.decode()


def test_filter_by_kind_of_organisation(client):
    public = member(organisation=OrganisationFactory(kind=Organisation.Kind.PUBLIC))
    sme = member(organisation=OrganisationFactory(kind=Organisation.Kind.SME))
    client.force_login(member())
    names = names_in(client.get(DIRECTORY, {"kind": "public"}))
    assert public.profile.name in names
    assert sme.profile.name not in names


def test_filter_by_cluster_of_interest(client, clusters):
    security = member(clusters=[clusters["security"], clusters["web"]])
    web_only = member(clusters=[clusters["web"]])
    client.force_login(member())
    names = names_in(client.get(DIRECTORY, {"cluster": clusters["security"].pk}))
    assert security.profile.name in names
    assert web_only.profile.name not in names


def test_the_cluster_filter_offers_the_live_cluster_pages_the_viewer_may_know_of(client, groups_index, clusters):
    viewer = member()
    client.force_login(viewer)

    def offered():
        choices = client.get(DIRECTORY).context["form"].fields["cluster"].choices
        return [label for value, label in choices if value]

    assert offered() == ["Internet des objets", "Sécurité", "Web"]
    make_group(groups_index, kind="cluster", visibility="premium", title="Jeux sérieux")
    clusters["web"].unpublish()
    assert offered() == ["Internet des objets", "Jeux sérieux", "Sécurité"]
    GroupMembershipFactory(group=clusters["board"], user=viewer)
    assert "Grappe du conseil" in offered()


def test_a_private_cluster_is_not_named_to_outsiders_in_the_directory(client, clusters):
    insider = member(clusters=[clusters["board"], clusters["web"]])
    GroupMembershipFactory(group=clusters["board"], user=insider)
    client.force_login(member())
    response = client.get(DIRECTORY)
    assert "Grappe du conseil" not in response.content.decode()
    card = next(p for p in response.context["profiles"] if p.user_id == insider.pk)
    assert card.cluster_labels == ["Web"]
    assert client.get(DIRECTORY, {"cluster": clusters["board"].pk}).status_code == 400

    client.force_login(insider)
    card = next(p for p in client.get(DIRECTORY).context["profiles"] if p.user_id == insider.pk)
    assert card.cluster_labels == ["Grappe du conseil", "Web"]


def test_unknown_filter_value_is_a_400_with_a_message_not_a_crash(client):
    listed = member()
    client.force_login(member())
    response = client.get(DIRECTORY, {"kind": "pirates", "q": "Nom"})
    assert response.status_code == 400
    assert response.context["form"].errors["kind"]
    assert listed.profile.name in names_in(response)  # the valid part of the search still applies
    assert 'value="Nom"' in response.content.decode()


def test_directory_is_paginated_by_24(client):
    for _ in range(25):
        member()
    client.force_login(member())
    first = client.get(DIRECTORY)
    assert len(first.context["profiles"]) == 24
    assert 'data-testid="pagination"' in first.content.decode()
    second = client.get(DIRECTORY, {"page": 2})
    assert len(second.context["profiles"]) == 2


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "1.5"])
def test_bad_page_number_never_fails(client, page):
    member()
    client.force_login(member())
    assert client.get(DIRECTORY, {"page": page}).status_code == 200


def test_directory_costs_a_fixed_number_of_queries(client, clusters, django_assert_max_num_queries):
    def populate(count):
        organisation = OrganisationFactory()
        for index in range(count):
            person = member(
                organisation=organisation, expertise=[f"skill-{index}", "cloud"], clusters=[clusters["web"]]
            )
            if index % 2:
                give_photo(person)

    viewer = member()
    client.force_login(viewer)
    populate(3)
    client.get(DIRECTORY)  # warm up what is cached per process (content types, site)
    with CaptureQueriesContext(connection) as few:
        assert client.get(DIRECTORY).status_code == 200
    populate(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(DIRECTORY)
    assert len(response.context["profiles"]) == 24
    assert response.content.decode().count("<img") >= 10  # the photos came with their prefetched renditions


# --- A member's profile page ---------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_log_in_from_a_profile(client):
    response = client.get(detail_url(member()))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("tier", ["basic", "premium"])
def test_members_read_another_members_profile(client, tier):
    other = member(job_title="CTO")
    client.force_login(member(tier))
    response = client.get(detail_url(other))
    assert response.status_code == 200
    assert "CTO" in response.content.decode()


def test_staff_read_any_profile_even_of_a_former_member(client):
    gone = member(expired=True, job_title="Ancien DSI")
    client.force_login(staff())
    response = client.get(detail_url(gone))
    assert response.status_code == 200
    assert "Ancien DSI" in response.content.decode()


def test_expired_member_gets_403_on_a_profile(client):
    other = member()
    client.force_login(member(expired=True))
    response = client.get(detail_url(other))
    assert response.status_code == 403
    assert response.context["reason"] == "renewal"


def test_unsigned_member_is_sent_to_the_charter_from_a_profile(client):
    CharterFactory()
    other = member()
    client.force_login(member(signed=False))
    response = client.get(detail_url(other))
    assert response.status_code == 302
    assert response.url.startswith(reverse("members:charter"))


def test_profile_of_someone_who_is_not_a_current_member_is_not_found(client):
    gone = member(expired=True)
    outsider = UserFactory()
    client.force_login(member())
    assert client.get(detail_url(gone)).status_code == 404
    assert client.get(detail_url(outsider)).status_code == 404
    assert client.get(reverse("members:profile_detail", args=[999999])).status_code == 404


def with_contact(user, *, show_phone, show_email):
    profile = user.profile
    profile.phone = "+32 2 555 01 23"
    profile.show_phone = show_phone
    profile.show_email = show_email
    profile.save()
    return user


def test_phone_not_shown_to_members_is_not_shown_to_another_member(client):
    other = with_contact(member(), show_phone=False, show_email=True)
    client.force_login(member())
    html = client.get(detail_url(other)).content.decode()
    assert "555 01 23" not in html
    assert other.email in html


def test_phone_shown_to_members_is_shown(client):
    other = with_contact(member(), show_phone=True, show_email=True)
    client.force_login(member())
    html = client.get(detail_url(other)).content.decode()
    assert "+32 2 555 01 23" in html
    assert 'href="tel:+32255501' in html


def test_email_not_shown_to_members_is_not_shown(client):
    other = with_contact(member(), show_phone=True, show_email=False)
    client.force_login(member())
    html = client.get(detail_url(other)).content.decode()
    assert other.email not in html
    assert "+32 2 555 01 23" in html


def test_owner_and_staff_see_hidden_contact_details(client):
    owner = with_contact(member(), show_phone=False, show_email=False)
    for viewer in (owner, staff()):
        client.force_login(viewer)
        html = client.get(detail_url(owner)).content.decode()
        assert "+32 2 555 01 23" in html
        assert owner.email in html


def test_linkedin_link_opens_without_handing_over_the_page(client):
    other = member()
    other.profile.linkedin_url = "https://www.linkedin.com/in/someone"
    other.profile.save()
    client.force_login(member())
    html = client.get(detail_url(other)).content.decode()
    assert 'href="https://www.linkedin.com/in/someone" rel="noopener"' in html


def test_profile_page_costs_a_fixed_number_of_queries(client, clusters, django_assert_max_num_queries):
    few = member(expertise=["a"])
    many = member(expertise=[f"skill-{n}" for n in range(12)], clusters=[clusters["web"], clusters["iot"]])
    client.force_login(member())
    client.get(detail_url(few))
    with CaptureQueriesContext(connection) as captured:
        client.get(detail_url(few))
    with django_assert_max_num_queries(len(captured.captured_queries)):
        assert client.get(detail_url(many)).status_code == 200
