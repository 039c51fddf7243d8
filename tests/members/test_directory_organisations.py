"""An organisation's page in the directory: what it is, its tier today, and those of its people who show
it; for the directory's readers only."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.models import DIRECTORY_FIELDS, Organisation
from tests.factories.members import OrganisationFactory, OrganisationMembershipFactory, UserFactory
from tests.members.test_directory import detail_url, give_photo, member, staff

pytestmark = pytest.mark.django_db

NOT_ORGANISATION = [field for field in DIRECTORY_FIELDS if field != "organisation"]


def url_of(organisation):
    return reverse("members:organisation", args=[organisation.pk])


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Banque du Nord", kind=Organisation.Kind.CORPORATE, website="https://nord.example")


def people_on(response):
    return {profile.name for profile in response.context["people"]}


def test_the_page_shows_name_kind_website_and_current_tier(client, organisation):
    today = timezone.localdate()
    OrganisationMembershipFactory(
        organisation=organisation,
        tier="basic",
        valid_from=today - datetime.timedelta(days=400),
        valid_until=today - datetime.timedelta(days=40),
    )
    OrganisationMembershipFactory(organisation=organisation, tier="premium")
    client.force_login(member())
    response = client.get(url_of(organisation))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="organisation-name">Banque du Nord<' in html
    assert "Corporate" in html
    assert 'href="https://nord.example"' in html
    assert response.context["period"].tier == "premium"
    assert "Premium" in html.split('data-testid="organisation-tier"')[1].split("</dd>")[0]


def test_an_organisation_without_a_current_membership_says_so(client, organisation):
    client.force_login(member())
    response = client.get(url_of(organisation))
    assert response.context["period"] is None
    assert "Aucune adhésion en cours" in response.content.decode()


def test_lists_the_members_who_show_their_organisation_only(client, organisation):
    shown = member(organisation=organisation)
    hidden = member(organisation=organisation, shows=NOT_ORGANISATION)
    elsewhere = member(organisation=OrganisationFactory())
    gone = member(organisation=organisation, expired=True)
    client.force_login(member())
    names = people_on(client.get(url_of(organisation)))
    assert names == {shown.profile.name}
    assert hidden.profile.name not in names and elsewhere.profile.name not in names and gone.profile.name not in names


def test_staff_see_every_current_member_of_the_organisation(client, organisation):
    shown = member(organisation=organisation)
    hidden = member(organisation=organisation, shows=NOT_ORGANISATION)
    client.force_login(staff())
    assert people_on(client.get(url_of(organisation))) == {shown.profile.name, hidden.profile.name}


def test_a_member_hiding_their_organisation_still_sees_themselves_on_its_page(client, organisation):
    me = member(organisation=organisation, shows=NOT_ORGANISATION)
    client.force_login(me)
    assert people_on(client.get(url_of(organisation))) == {me.profile.name}


def test_an_organisation_with_nobody_showing_it_says_so(client, organisation):
    member(organisation=organisation, shows=NOT_ORGANISATION)
    client.force_login(member())
    assert 'data-testid="organisation-nobody"' in client.get(url_of(organisation)).content.decode()


def test_people_listed_show_their_job_title_only_if_they_show_it(client, organisation):
    member(organisation=organisation, job_title="Trésorière discrète", shows=["organisation"])
    member(organisation=organisation, job_title="Directeur visible", shows=["organisation", "job_title"])
    client.force_login(member())
    html = client.get(url_of(organisation)).content.decode()
    assert "Directeur visible" in html and "Trésorière discrète" not in html


def test_cards_and_profiles_link_to_the_organisation_only_where_it_is_shown(client, organisation):
    shown = member(organisation=organisation)
    hidden = member(organisation=OrganisationFactory(name="Cachée SA"), shows=NOT_ORGANISATION)
    client.force_login(member())
    directory = client.get(reverse("members:directory")).content.decode()
    assert f'href="{url_of(organisation)}"' in directory
    assert f'href="{url_of(hidden.profile.organisation)}"' not in directory
    assert f'href="{url_of(organisation)}"' in client.get(detail_url(shown)).content.decode()
    assert "Cachée SA" not in client.get(detail_url(hidden)).content.decode()


def test_unknown_organisation_is_a_404(client):
    client.force_login(member())
    assert client.get(reverse("members:organisation", args=[999999])).status_code == 404
    assert client.get("/membres/organisations/99999999999999999999999/").status_code == 404
    assert client.get("/membres/organisations/abc/").status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client, organisation):
    response = client.get(url_of(organisation))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.parametrize("who", ["expired", "no_membership"])
def test_expired_members_and_non_members_are_refused(client, organisation, who):
    member(organisation=organisation)
    client.force_login(member(expired=True) if who == "expired" else UserFactory())
    response = client.get(url_of(organisation))
    assert response.status_code == 403
    assert "Banque du Nord" not in response.content.decode()


def test_the_organisation_page_costs_the_same_queries_for_2_or_20_people(
    client, organisation, django_assert_max_num_queries
):
    def populate(count):
        for index in range(count):
            person = member(organisation=organisation)
            if index % 2:
                give_photo(person)

    OrganisationMembershipFactory(organisation=organisation, tier="premium")
    client.force_login(member())
    populate(2)
    client.get(url_of(organisation))
    with CaptureQueriesContext(connection) as few:
        client.get(url_of(organisation))
    populate(18)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url_of(organisation))
    assert len(response.context["people"]) == 20
    assert len(few.captured_queries) <= 20


def test_a_large_organisation_lists_its_members_on_pages(client, organisation):
    from members.views.profile import DIRECTORY_PAGE_SIZE

    for _ in range(DIRECTORY_PAGE_SIZE + 3):
        member(organisation=organisation)
    client.force_login(member())

    first = client.get(url_of(organisation))
    assert len(first.context["people"]) == DIRECTORY_PAGE_SIZE
    assert 'data-testid="pagination"' in first.content.decode()
    second = client.get(url_of(organisation), {"page": 2})
    assert len(second.context["people"]) == 3
    assert people_on(first).isdisjoint(people_on(second))
    # A page past the end or not a number shows the nearest page, never an error.
    assert client.get(url_of(organisation), {"page": "99"}).status_code == 200
    assert client.get(url_of(organisation), {"page": "x"}).status_code == 200
