"""The directory's working-group and expertise facets: counts from the database under the same
visibility as the cards, only the groups the viewer may know of, and a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import DIRECTORY_FIELDS
from tests.factories.members import OrganisationFactory
from tests.factories.working_groups import GroupMembershipFactory, make_group
from tests.members.test_directory import DIRECTORY, member, staff

pytestmark = pytest.mark.django_db


def facet(response, name):
    """{label: count} of one facet, as the page offers it."""
    for group in response.context["facets"]:
        if group["name"] == name:
            return {option["label"]: option["count"] for option in group["options"]}
    return {}


def names_in(response):
    return {profile.name for profile in response.context["profiles"]}


@pytest.fixture
def people(groups_index):
    """Three members of "Gouvernance" (one hiding their groups), two of them also in "Cloud"."""
    ada = member(expertise=["cloud", "ERP"])
    bob = member(expertise=["cloud"])
    eve = member(expertise=["cloud", "ERP"], shows=[f for f in DIRECTORY_FIELDS if f not in ("groups", "expertise")])
    governance = make_group(groups_index, title="Gouvernance", members=[ada, bob, eve])
    cloud = make_group(groups_index, title="Cloud", members=[ada, eve])
    return {"ada": ada, "bob": bob, "eve": eve, "governance": governance, "cloud": cloud}


def test_group_and_expertise_counts_leave_out_what_members_hide(client, people):
    client.force_login(member())
    response = client.get(DIRECTORY)
    assert facet(response, "group") == {"Gouvernance": 2, "Cloud": 1}
    assert facet(response, "expertise") == {"cloud": 2, "ERP": 1}


def test_staff_count_everyone(client, people):
    client.force_login(staff())
    response = client.get(DIRECTORY)
    assert facet(response, "group") == {"Gouvernance": 3, "Cloud": 2}
    assert facet(response, "expertise") == {"cloud": 3, "ERP": 2}


def test_choosing_a_group_lists_its_members_who_show_their_groups(client, people):
    client.force_login(member())
    response = client.get(DIRECTORY, {"group": people["governance"].pk})
    assert names_in(response) == {people["ada"].profile.name, people["bob"].profile.name}
    assert response.context["page_obj"].paginator.count == facet(response, "group")["Gouvernance"]
    active = [o for f in response.context["facets"] for o in f["options"] if o["active"]]
    assert [o["label"] for o in active] == ["Gouvernance"]
    # The chosen value's link drops it again; the others add theirs.
    assert "group=" not in active[0]["url"]


def test_choosing_an_expertise_lists_those_who_show_it(client, people):
    client.force_login(member())
    response = client.get(DIRECTORY, {"expertise": "erp"})
    assert names_in(response) == {people["ada"].profile.name}
    assert facet(response, "expertise")["ERP"] == 1


def test_facets_count_under_the_other_filters(client, people):
    """Each facet is counted under the search and the other facet, not its own (so its other values stay)."""
    client.force_login(member())
    response = client.get(DIRECTORY, {"group": people["cloud"].pk})
    assert facet(response, "expertise") == {"cloud": 1, "ERP": 1}  # ada only: eve hides both
    assert facet(response, "group") == {"Gouvernance": 2, "Cloud": 1}
    response = client.get(DIRECTORY, {"expertise": "ERP"})
    assert facet(response, "group") == {"Gouvernance": 1, "Cloud": 1}


def test_a_search_keeps_the_chosen_facets(client, people):
    client.force_login(member())
    html = client.get(DIRECTORY, {"group": people["governance"].pk, "expertise": "cloud"}).content.decode()
    assert f'type="hidden" name="group" value="{people["governance"].pk}"' in html
    assert 'type="hidden" name="expertise" value="cloud"' in html


def test_a_private_group_is_offered_to_its_members_only(client, groups_index, people):
    insider = member()
    board = make_group(groups_index, title="Conseil", visibility="private", members=[insider, people["ada"]])
    client.force_login(member())
    response = client.get(DIRECTORY)
    assert "Conseil" not in facet(response, "group")
    assert "Conseil" not in response.content.decode()
    # Asking for it by its id is refused like any unknown value, without naming it.
    refused = client.get(DIRECTORY, {"group": board.pk})
    assert refused.status_code == 400
    assert refused.context["form"].errors["group"]
    html = refused.content.decode()
    assert "Conseil" not in html
    assert 'data-testid="directory-errors"' in html  # told, in words, why the filter was dropped
    assert f'value="{board.pk}"' not in html  # and not sent again with the next search

    client.force_login(insider)
    response = client.get(DIRECTORY)
    assert facet(response, "group")["Conseil"] == 2
    assert names_in(client.get(DIRECTORY, {"group": board.pk})) == {insider.profile.name, people["ada"].profile.name}


def test_a_premium_cluster_is_known_to_basic_members_as_the_policy_says(client, groups_index):
    premium = member("premium")
    make_group(groups_index, kind="cluster", visibility="premium", title="Grappe IoT", members=[premium])
    client.force_login(member("basic"))
    assert facet(client.get(DIRECTORY), "group") == {"Grappe IoT": 1}


def test_pending_requests_and_unpublished_groups_count_for_nothing(client, groups_index, people):
    from working_groups.models import GroupMembership

    waiting = make_group(groups_index, title="En attente")
    GroupMembershipFactory(group=waiting, user=member(), state=GroupMembership.State.REQUESTED)
    people["cloud"].unpublish()
    client.force_login(member())
    assert facet(client.get(DIRECTORY), "group") == {"Gouvernance": 2}


@pytest.mark.parametrize("value", ["x" * 51, "abc", "-1", "999999999999999999999999"])
def test_bad_facet_values_are_a_clear_400_or_no_match(client, people, value):
    client.force_login(member())
    response = client.get(DIRECTORY, {"group": value})
    assert response.status_code == 400
    assert response.context["form"].errors["group"]
    response = client.get(DIRECTORY, {"expertise": value})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert 'data-testid="directory-empty"' in response.content.decode()


def test_the_directory_with_facets_costs_the_same_queries_for_3_or_30_people(
    client, groups_index, django_assert_max_num_queries
):
    groups = [make_group(groups_index, title=f"Groupe {n}") for n in range(4)]
    organisation = OrganisationFactory()

    def populate(start, count):
        for index in range(start, start + count):
            person = member(organisation=organisation, expertise=[f"skill-{index}", "cloud"])
            for group in groups[: 1 + index % 4]:
                GroupMembershipFactory(group=group, user=person)

    client.force_login(member())
    populate(0, 3)
    params = {"q": "DSI", "group": groups[0].pk, "expertise": "cloud"}
    for query in ({}, params):
        client.get(DIRECTORY, query)  # warm up what is cached per process
    counts = {}
    for name, query in (("plain", {}), ("filtered", params)):
        with CaptureQueriesContext(connection) as few:
            assert client.get(DIRECTORY, query).status_code == 200
        counts[name] = len(few.captured_queries)
    populate(3, 27)
    # New memberships renew the pages stamp (group pages list members), so the menu and
    # footer fragments are rebuilt once; what is pinned is the directory's own cost.
    client.get(DIRECTORY)
    for name, query in (("plain", {}), ("filtered", params)):
        with django_assert_max_num_queries(counts[name]):
            response = client.get(DIRECTORY, query)
        assert len(response.context["profiles"]) == 24
        assert facet(response, "group")["Groupe 0"] == 30
    assert counts["plain"] <= 20
