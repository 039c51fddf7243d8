"""Directory fields are opt-in, field by field: what each kind of viewer sees of a member, on the profile
page, the directory's cards and its search, and what search engines are told."""

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import DIRECTORY_FIELDS, Organisation
from tests.factories.members import CharterFactory, OrganisationFactory, UserFactory
from tests.factories.working_groups import make_group
from tests.members.test_directory import DIRECTORY, detail_url, give_photo, member, staff

pytestmark = pytest.mark.django_db

# What a full profile holds, field by field: each value appears on a page only where the field is shown.
JOB, ORGANISATION, BIO, TAG = "Architecte souveraine", "Brasserie Zwanze", "Trente ans de réseaux.", "mainframe"
LINKEDIN, PHONE, CLUSTER, GROUP = (
    "https://www.linkedin.com/in/zwanze",
    "+32 2 555 77 88",
    "Grappe Web",
    "Atelier Zwanze",
)
MARKERS = {
    "job_title": JOB,
    "organisation": ORGANISATION,
    "bio": BIO,
    "expertise": TAG,
    "languages": "Nederlands",
    "linkedin": LINKEDIN,
    "phone": PHONE,
    "clusters": CLUSTER,
    "groups": GROUP,
}


@pytest.fixture
def person(groups_index):
    """A member with every directory field filled in, showing none of them to other members."""
    from working_groups.models import ClusterInterest

    user = member(
        job_title=JOB,
        organisation=OrganisationFactory(name=ORGANISATION, kind=Organisation.Kind.SME),
        expertise=[TAG],
        shows=(),
        email="ada.zwanze@example.org",
    )
    profile = user.profile
    profile.bio = BIO
    profile.languages = ["nl"]
    profile.linkedin_url = LINKEDIN
    profile.phone = PHONE
    profile.save()
    give_photo(user)
    cluster = make_group(groups_index, kind="cluster", visibility="premium", title=CLUSTER)
    ClusterInterest.objects.create(profile=profile, cluster=cluster)
    make_group(groups_index, title=GROUP, members=[user])
    return user


def shows(user, *fields):
    profile = user.profile
    for field in DIRECTORY_FIELDS:
        setattr(profile, f"show_{field}", field in fields)
    profile.save()


def page_of(client, user, viewer, **params):
    client.force_login(viewer)
    response = client.get(detail_url(user), params)
    assert response.status_code == 200
    return response.content.decode()


def seen(html):
    found = {field for field, marker in MARKERS.items() if marker in html}
    if "ada.zwanze@example.org" in html:
        found.add("email")
    if "<img" in html.split('data-testid="profile-detail"')[1]:
        found.add("photo")
    return found


# --- The profile page, per viewer ----------------------------------------------------------------


def test_another_member_sees_nothing_of_a_profile_that_shows_nothing_but_the_name(client, person):
    html = page_of(client, person, member())
    assert person.profile.name in html
    assert seen(html) == set()
    assert "Ce membre ne partage aucune coordonnée dans l'annuaire." in html


@pytest.mark.parametrize("field", DIRECTORY_FIELDS)
def test_another_member_sees_exactly_the_field_shown(client, person, field):
    shows(person, field)
    assert seen(page_of(client, person, member())) == {field}


@pytest.mark.parametrize("tier", ["basic", "premium"])
def test_members_of_either_tier_see_every_field_shown(client, person, tier):
    shows(person, *DIRECTORY_FIELDS)
    assert seen(page_of(client, person, member(tier))) == set(DIRECTORY_FIELDS)


def test_the_owner_sees_every_field_and_which_ones_members_do_not(client, person):
    shows(person, "job_title")
    html = page_of(client, person, person)
    assert seen(html) == set(DIRECTORY_FIELDS)
    assert 'data-testid="profile-hidden-note"' in html
    assert "(caché aux membres)" in html


def test_staff_see_every_field(client, person):
    assert seen(page_of(client, person, staff())) == set(DIRECTORY_FIELDS)


def test_anonymous_visitor_is_sent_to_log_in_and_sees_nothing(client, person):
    shows(person, *DIRECTORY_FIELDS)
    response = client.get(detail_url(person))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_expired_member_sees_nothing_of_a_profile(client, person):
    shows(person, *DIRECTORY_FIELDS)
    client.force_login(member(expired=True))
    response = client.get(detail_url(person))
    assert response.status_code == 403
    html = response.content.decode()
    assert not [marker for marker in MARKERS.values() if marker in html]


def test_the_owner_previews_their_profile_as_another_member_sees_it(client, person):
    shows(person, "job_title", "groups", "phone")
    preview = page_of(client, person, person, **{"as": "member"})
    assert 'data-testid="profile-preview"' in preview
    assert seen(preview) == {"job_title", "groups", "phone"}
    assert seen(preview) == seen(page_of(client, person, member()))
    assert "(caché aux membres)" not in preview


def test_the_preview_is_the_owner_s_only(client, person):
    """Someone else asking for the preview gets their own view, never more (staff keep seeing all)."""
    shows(person, "job_title")
    html = page_of(client, person, member(), **{"as": "member"})
    assert 'data-testid="profile-preview"' not in html
    assert seen(html) == {"job_title"}


def test_the_profile_form_links_to_the_preview(client):
    user = member()
    client.force_login(user)
    html = client.get(reverse("members:profile")).content.decode()
    assert f'href="{detail_url(user)}?as=member"' in html


def test_an_anonymised_profile_is_not_found_by_members(client, person):
    shows(person, *DIRECTORY_FIELDS)
    person.profile.anonymised_at = timezone.now()
    person.profile.save()
    client.force_login(member())
    assert client.get(detail_url(person)).status_code == 404
    assert person.profile.name not in client.get(DIRECTORY).content.decode()


# --- Groups on the profile: only those the viewer may know of -------------------------------------


def test_a_private_group_is_never_named_to_an_outsider(client, groups_index, person):
    shows(person, "groups")
    make_group(groups_index, title="Conseil secret", visibility="private", members=[person])
    outsider_view = page_of(client, person, member())
    assert GROUP in outsider_view
    assert "Conseil secret" not in outsider_view

    insider = member()
    make_group(groups_index, title="Autre cercle", visibility="private", members=[insider])
    from working_groups.models import GroupMembership, WorkingGroupPage

    GroupMembership.objects.create(group=WorkingGroupPage.objects.get(title="Conseil secret"), user=insider)
    assert "Conseil secret" in page_of(client, person, insider)
    assert "Conseil secret" in page_of(client, person, staff())
    # The owner's preview shows what a member outside the group gets.
    assert "Conseil secret" not in page_of(client, person, person, **{"as": "member"})


def test_groups_not_shown_are_listed_to_nobody_but_the_owner_and_staff(client, person):
    assert GROUP not in page_of(client, person, member())
    assert GROUP in page_of(client, person, person)
    assert GROUP in page_of(client, person, staff())


def test_a_pending_request_is_not_a_group_of_the_member(client, groups_index, person):
    from working_groups.models import GroupMembership

    shows(person, "groups")
    group = make_group(groups_index, title="Atelier en attente")
    GroupMembership.objects.create(group=group, user=person, state=GroupMembership.State.REQUESTED)
    assert "Atelier en attente" not in page_of(client, person, member())


# --- The directory's cards and search ------------------------------------------------------------


def test_cards_show_only_the_fields_shown(client, person):
    client.force_login(member())
    response = client.get(DIRECTORY)
    card = next(p for p in response.context["profiles"] if p.pk == person.profile.pk)
    assert card.shows == frozenset()
    assert card.cluster_labels == []
    html = response.content.decode()
    listed = html[html.index('data-testid="directory-list"') :]
    for marker in (JOB, ORGANISATION, TAG, CLUSTER):
        assert marker not in listed
    assert TAG not in html  # nor counted in the facets
    assert html.count("<img") == 0  # the photo is hidden too

    shows(person, "job_title", "organisation", "expertise", "clusters", "photo")
    html = client.get(DIRECTORY).content.decode()
    listed = html[html.index('data-testid="directory-list"') :]
    for marker in (JOB, ORGANISATION, TAG, CLUSTER):
        assert marker in listed
    assert html.count("<img") == 1
    assert f'href="{reverse("members:organisation", args=[person.profile.organisation_id])}"' in html


def test_owner_and_staff_see_every_field_on_the_cards(client, person):
    for viewer in (person, staff()):
        client.force_login(viewer)
        html = client.get(DIRECTORY).content.decode()
        for marker in (JOB, ORGANISATION, TAG, CLUSTER):
            assert marker in html


def names_in(response):
    return {profile.name for profile in response.context["profiles"]}


@pytest.mark.parametrize(
    ("field", "query"), [("job_title", "souveraine"), ("organisation", "Zwanze"), ("expertise", TAG)]
)
def test_search_never_matches_a_hidden_field(client, person, field, query):
    client.force_login(member())
    assert person.profile.name not in names_in(client.get(DIRECTORY, {"q": query}))
    shows(person, field)
    assert person.profile.name in names_in(client.get(DIRECTORY, {"q": query}))


def test_owner_and_staff_find_the_profile_by_a_hidden_field(client, person):
    for viewer in (person, staff()):
        client.force_login(viewer)
        assert person.profile.name in names_in(client.get(DIRECTORY, {"q": "souveraine"}))


def test_the_name_is_always_searchable(client, person):
    client.force_login(member())
    assert person.profile.name in names_in(client.get(DIRECTORY, {"q": person.last_name}))


def test_kind_filter_ignores_a_hidden_organisation(client, person):
    client.force_login(member())
    assert person.profile.name not in names_in(client.get(DIRECTORY, {"kind": "sme"}))
    shows(person, "organisation")
    assert person.profile.name in names_in(client.get(DIRECTORY, {"kind": "sme"}))


def test_cluster_filter_ignores_hidden_clusters_of_interest(client, person):
    from working_groups.models import WorkingGroupPage

    cluster = WorkingGroupPage.objects.get(title=CLUSTER)
    client.force_login(member())
    assert person.profile.name not in names_in(client.get(DIRECTORY, {"cluster": cluster.pk}))
    shows(person, "clusters")
    assert person.profile.name in names_in(client.get(DIRECTORY, {"cluster": cluster.pk}))


# --- Never for visitors, never indexed -------------------------------------------------------------


def test_directory_profile_and_organisation_pages_tell_search_engines_not_to_index(client, person):
    organisation = person.profile.organisation
    client.force_login(member())
    for url in (DIRECTORY, detail_url(person), reverse("members:organisation", args=[organisation.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
        assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("who", ["anonymous", "expired", "no_membership"])
def test_refusals_are_not_indexed_either(client, person, who):
    if who == "expired":
        client.force_login(member(expired=True))
    elif who == "no_membership":
        client.force_login(UserFactory())
    for url in (DIRECTORY, detail_url(person)):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert response["X-Robots-Tag"] == "noindex, nofollow"


# --- The directory in the main navigation ----------------------------------------------------------


def nav_link(client):
    html = client.get(reverse("members:profile")).content.decode()
    return 'data-testid="nav-directory"' in html and f'href="{DIRECTORY}"' in html


@pytest.mark.parametrize(
    ("who", "has_link"),
    [("basic", True), ("premium", True), ("staff", True), ("expired", False), ("no_membership", False)],
)
def test_the_directory_is_in_the_navigation_of_those_who_may_read_it(client, who, has_link):
    if who == "staff":
        user = staff()
    elif who == "expired":
        user = member(expired=True)
    elif who == "no_membership":
        user = UserFactory()
    else:
        user = member(who)
    client.force_login(user)
    assert nav_link(client) == has_link


def test_no_directory_link_for_a_visitor(client, home_page):
    html = client.get("/").content.decode()
    assert 'data-testid="nav-directory"' not in html


def test_no_directory_link_before_signing_the_charter(client):
    CharterFactory()
    client.force_login(member(signed=False))
    assert not nav_link(client)
