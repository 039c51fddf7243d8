"""The leads' management of a group's members: who reaches the page, adding, promoting, demoting and
removing members, answering requests; a group never loses its last lead silently."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from wagtail.log_actions import registry

from members import roles
from members.access import FORBIDDEN_REASONS
from tests.factories.members import UserFactory, make_member, make_staff
from tests.factories.working_groups import GroupMembershipFactory, make_group
from working_groups.models import GroupMembership

pytestmark = pytest.mark.django_db


def in_french(text, **params):
    """What the site (French first) shows for an English msgid, as it appears in HTML."""
    with translation.override("fr"):
        return escape(gettext(text) % params if params else gettext(text))


LAST_LEAD = "A group keeps at least one lead: promote someone else first."


def manage_url(group):
    return reverse("working_groups:members", args=[group.pk])


def roles_in(group):
    """{user id: (role, state)} — the whole state of the group's membership."""
    return {m.user_id: (m.role, m.state) for m in GroupMembership.objects.filter(group=group)}


def actions(group):
    return list(registry.get_logs_for_instance(group).values_list("action", flat=True))


def post_action(client, group, action, target):
    mine = GroupMembership.objects.get(group=group, user=target)
    return client.post(manage_url(group), {"action": action, "membership": mine.pk})


@pytest.fixture
def team(groups_index):
    """A group with one lead and two members, and the people around it."""
    lead, alice, bob = make_member(), make_member(), make_member()
    group = make_group(groups_index, leads=[lead], members=[alice, bob])
    return group, lead, alice, bob


# --- Who reaches the management page --------------------------------------------------------------


def viewer_of_kind(kind, group):
    if kind == "anonymous":
        return None
    if kind == "basic":
        return make_member("basic")
    if kind == "premium":
        return make_member("premium")
    if kind == "expired":
        return make_member(expired=True)
    if kind == "group member":
        user = make_member()
        GroupMembershipFactory(group=group, user=user)
        return user
    if kind == "lead":
        user = make_member()
        GroupMembershipFactory(group=group, user=user, role="lead")
        return user
    if kind == "staff":
        return make_staff()
    raise AssertionError(kind)


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("anonymous", 302),
        ("basic", 403),
        ("premium", 403),
        ("expired", 403),
        ("group member", 403),
        ("lead", 200),
        ("staff", 200),
    ],
)
def test_management_page_of_a_members_group_for_each_viewer(client, groups_index, kind, status):
    group = make_group(groups_index, leads=[make_member()])
    user = viewer_of_kind(kind, group)
    if user:
        client.force_login(user)

    response = client.get(manage_url(group))

    assert response.status_code == status
    if kind == "anonymous":
        assert response.url.startswith(reverse("login"))
        assert response.url.endswith("?next=" + manage_url(group))
    elif kind == "expired":
        assert in_french(str(FORBIDDEN_REASONS["renewal"])) in response.content.decode()
    elif status == 403:
        assert (
            in_french("Only the leads of this group and the club's staff manage its members.")
            in response.content.decode()
        )
    else:
        assert b'data-testid="group-members-management"' in response.content


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("anonymous", 404),
        ("basic", 404),
        ("premium", 404),
        ("expired", 404),
        ("group member", 403),
        ("lead", 200),
        ("staff", 200),
    ],
)
def test_management_page_of_a_private_group_is_not_found_by_outsiders(client, groups_index, kind, status):
    group = make_group(groups_index, visibility="private", leads=[make_member()])
    user = viewer_of_kind(kind, group)
    if user:
        client.force_login(user)

    response = client.get(manage_url(group))

    assert response.status_code == status
    if status == 404:
        assert group.title.encode() not in response.content


@pytest.mark.parametrize(("kind", "status"), [("basic", 403), ("premium", 403), ("lead", 200), ("staff", 200)])
def test_management_page_of_a_cluster_for_each_viewer(client, groups_index, kind, status):
    cluster = make_group(groups_index, kind="cluster", visibility="premium", leads=[make_member("premium")])
    user = viewer_of_kind(kind, cluster) if kind != "lead" else make_member("premium")
    if kind == "lead":
        GroupMembershipFactory(group=cluster, user=user, role="lead")
    client.force_login(user)

    response = client.get(manage_url(cluster))

    assert response.status_code == status
    if kind == "basic":  # the premium tier is what they lack, and they are told so
        assert in_french(str(FORBIDDEN_REASONS["premium"])) in response.content.decode()


def test_non_lead_member_cannot_change_anything(client, team):
    group, lead, alice, bob = team
    before = roles_in(group)
    client.force_login(alice)

    for action, target in [("promote", bob), ("remove", bob), ("demote", lead), ("promote", alice)]:
        assert post_action(client, group, action, target).status_code == 403
    newcomer = make_member()
    assert client.post(manage_url(group), {"action": "add", "user": newcomer.pk}).status_code == 403

    assert roles_in(group) == before


def test_other_methods_are_not_allowed(client, team):
    group, lead, _alice, _bob = team
    client.force_login(lead)

    assert client.put(manage_url(group)).status_code == 405
    assert client.delete(manage_url(group)).status_code == 405


def test_unknown_group_is_not_found(client, team):
    client.force_login(make_staff())

    assert client.get(reverse("working_groups:members", args=[999999])).status_code == 404


# --- What the page shows ------------------------------------------------------------------------


def test_lead_sees_requests_members_and_the_add_form(client, team, django_assert_max_num_queries):
    group, lead, alice, _bob = team
    requester = make_member(first_name="Claire", last_name="Dumont")
    GroupMembershipFactory(group=group, user=requester, state="requested")
    for _ in range(5):  # the cost does not grow with the group
        GroupMembershipFactory(group=group, user=make_member())
        GroupMembershipFactory(group=group, user=make_member(), state="requested")
    make_member()  # someone to add
    client.force_login(lead)
    client.get(manage_url(group))  # first visit's one-offs: the site settings, the admin profile

    with django_assert_max_num_queries(20):
        response = client.get(manage_url(group))

    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]  # who is in a group is not kept by caches
    requests = html[html.index('data-testid="pending-requests"') : html.index('data-testid="member-list"')]
    assert "Claire Dumont" in requests
    assert 'value="approve"' in requests and 'value="decline"' in requests
    assert f'data-testid="member-{alice.pk}"' in html
    assert 'value="promote"' in html
    assert 'data-testid="add-member-form"' in html


def test_add_form_offers_club_members_not_yet_in_the_group(client, team):
    group, lead, alice, _bob = team
    outsider = make_member(first_name="Zoé", last_name="Outsider")
    not_a_member = UserFactory(first_name="Paul", last_name="Visiteur")
    client.force_login(lead)

    form = client.get(manage_url(group)).context["form"]
    offered = set(form.fields["user"].queryset)

    assert outsider in offered
    assert not_a_member not in offered
    assert alice not in offered and lead not in offered


def test_add_form_of_a_cluster_offers_premium_members_only(client, groups_index):
    lead = make_member("premium")
    cluster = make_group(groups_index, kind="cluster", visibility="premium", leads=[lead])
    premium, basic = make_member("premium"), make_member("basic")
    client.force_login(lead)

    offered = set(client.get(manage_url(cluster)).context["form"].fields["user"].queryset)

    assert premium in offered
    assert basic not in offered


def test_the_only_lead_is_not_offered_to_step_down(client, team):
    group, lead, _alice, _bob = team
    client.force_login(lead)

    html = client.get(manage_url(group)).content.decode()
    row = html[html.index(f'data-testid="member-{lead.pk}"') :]
    row = row[: row.index("</tr>")]

    assert 'value="demote"' not in row and 'value="remove"' not in row


# --- Adding members -------------------------------------------------------------------------------


def test_lead_adds_a_club_member(client, team):
    group, lead, _alice, _bob = team
    newcomer = make_member()
    client.force_login(lead)

    response = client.post(manage_url(group), {"action": "add", "user": newcomer.pk})

    assert response.status_code == 302
    assert response.url == manage_url(group)
    assert roles_in(group)[newcomer.pk] == ("member", "active")
    assert "cercle.group.add" in actions(group)


def test_lead_adds_someone_to_a_group_by_invitation_or_private(client, groups_index):
    lead = make_member()
    group = make_group(groups_index, visibility="private", join_policy="invitation", leads=[lead])
    newcomer = make_member()
    client.force_login(lead)

    client.post(manage_url(group), {"action": "add", "user": newcomer.pk})

    assert roles_in(group)[newcomer.pk] == ("member", "active")


def test_adding_someone_who_is_not_a_club_member_is_refused(client, team):
    group, lead, _alice, _bob = team
    visitor = UserFactory()
    before = roles_in(group)
    client.force_login(lead)

    response = client.post(manage_url(group), {"action": "add", "user": visitor.pk})

    assert response.status_code == 400
    assert response.context["form"].errors["user"]
    assert roles_in(group) == before


def test_adding_a_member_who_has_not_signed_the_charter_is_refused_with_the_reason(client, team):
    group, lead, _alice, _bob = team
    unsigned = make_member(signed=False)  # in the club's "Membres" group, not yet entitled
    client.force_login(lead)

    response = client.post(manage_url(group), {"action": "add", "user": unsigned.pk})

    assert response.status_code == 400
    assert in_french("Only members of the club can join a group.") in response.content.decode()
    assert unsigned.pk not in roles_in(group)


def test_adding_someone_already_in_the_group_is_refused_and_keeps_their_role(client, team):
    group, lead, alice, _bob = team
    client.force_login(lead)

    for user in (lead, alice):
        response = client.post(manage_url(group), {"action": "add", "user": user.pk})
        assert response.status_code == 400
    assert roles_in(group)[lead.pk] == ("lead", "active")


def test_adding_a_basic_member_to_a_cluster_is_refused(client, groups_index):
    lead = make_member("premium")
    cluster = make_group(groups_index, kind="cluster", visibility="premium", leads=[lead])
    basic = make_member("basic")
    client.force_login(lead)

    response = client.post(manage_url(cluster), {"action": "add", "user": basic.pk})

    assert response.status_code == 400
    assert basic.pk not in roles_in(cluster)


def test_add_without_choosing_anyone_says_so(client, team):
    group, lead, _alice, _bob = team
    client.force_login(lead)

    response = client.post(manage_url(group), {"action": "add", "user": ""})

    assert response.status_code == 400
    assert in_french("Choose the member to add.") in response.content.decode()


# --- Roles ----------------------------------------------------------------------------------------


def test_lead_promotes_a_member_to_lead(client, team):
    group, lead, alice, _bob = team
    client.force_login(lead)

    response = post_action(client, group, "promote", alice)

    assert response.status_code == 302
    assert roles_in(group)[alice.pk] == ("lead", "active")
    assert "cercle.group.role" in actions(group)
    # The new lead gets the admin rights of this group's leads, through the membership signals.
    assert alice.groups.filter(name=roles.GROUP_LEADS).exists()


def test_a_lead_demotes_another_lead(client, team):
    group, lead, alice, _bob = team
    GroupMembership.objects.filter(group=group, user=alice).update(role="lead")
    client.force_login(lead)

    response = post_action(client, group, "demote", alice)

    assert response.status_code == 302
    assert roles_in(group)[alice.pk] == ("member", "active")


def test_a_lead_who_steps_down_is_sent_back_to_the_group_page(client, team):
    group, lead, alice, _bob = team
    GroupMembership.objects.filter(group=group, user=alice).update(role="lead")
    client.force_login(lead)

    response = post_action(client, group, "demote", lead)

    assert response.status_code == 302
    assert response.url == group.url
    assert roles_in(group)[lead.pk] == ("member", "active")


@pytest.mark.parametrize("action", ["demote", "remove"])
def test_the_last_lead_cannot_be_demoted_or_removed(client, team, action):
    group, lead, _alice, _bob = team
    before = roles_in(group)
    client.force_login(lead)

    response = post_action(client, group, action, lead)

    assert response.status_code == 409
    assert in_french(LAST_LEAD) in response.content.decode()
    assert roles_in(group) == before
    assert "cercle.group.role" not in actions(group) and "cercle.group.remove" not in actions(group)


def test_staff_cannot_take_away_the_last_lead_either(client, team):
    group, lead, _alice, _bob = team
    client.force_login(make_staff())

    response = post_action(client, group, "remove", lead)

    assert response.status_code == 409
    assert roles_in(group)[lead.pk] == ("lead", "active")


# --- Removing -------------------------------------------------------------------------------------


def test_lead_removes_a_member(client, team):
    group, lead, alice, _bob = team
    client.force_login(lead)

    response = post_action(client, group, "remove", alice)

    assert response.status_code == 302
    assert alice.pk not in roles_in(group)
    assert "cercle.group.remove" in actions(group)


def test_removing_a_lead_takes_away_their_admin_rights(client, team):
    group, lead, alice, _bob = team
    client.force_login(lead)
    post_action(client, group, "promote", alice)
    assert Group.objects.filter(user=alice, name__startswith=roles.GROUP_LEADS).exists()

    post_action(client, group, "remove", alice)

    assert not Group.objects.filter(user=alice, name__startswith=roles.GROUP_LEADS).exists()


# --- Staff --------------------------------------------------------------------------------------


def test_staff_manage_a_private_group_they_are_not_in(client, groups_index):
    lead, member = make_member(), make_member()
    group = make_group(groups_index, visibility="private", leads=[lead], members=[member])
    newcomer = make_member()
    client.force_login(make_staff())

    assert client.get(manage_url(group)).status_code == 200
    assert post_action(client, group, "promote", member).status_code == 302
    assert client.post(manage_url(group), {"action": "add", "user": newcomer.pk}).status_code == 302

    assert roles_in(group) == {
        lead.pk: ("lead", "active"),
        member.pk: ("lead", "active"),
        newcomer.pk: ("member", "active"),
    }


# --- Stale pages and tampered forms ---------------------------------------------------------------


def test_answering_a_request_already_answered_changes_nothing(client, team, django_capture_on_commit_callbacks):
    group, lead, _alice, _bob = team
    requester = make_member()
    request = GroupMembershipFactory(group=group, user=requester, state="requested")
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(manage_url(group), {"action": "approve", "membership": request.pk})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(manage_url(group), {"action": "decline", "membership": request.pk})

    assert response.status_code == 409
    assert roles_in(group)[requester.pk] == ("member", "active")


def test_a_request_cannot_be_promoted_before_it_is_answered(client, team):
    group, lead, _alice, _bob = team
    request = GroupMembershipFactory(group=group, state="requested")
    client.force_login(lead)

    response = client.post(manage_url(group), {"action": "promote", "membership": request.pk})

    assert response.status_code == 409
    assert roles_in(group)[request.user_id] == ("member", "requested")


def test_a_membership_of_another_group_cannot_be_touched_from_this_one(client, groups_index, team):
    group, lead, _alice, _bob = team
    elsewhere = make_group(groups_index, leads=[make_member()], members=[make_member()])
    theirs = elsewhere.memberships.get(role="member")
    before = roles_in(elsewhere)
    client.force_login(lead)

    response = client.post(manage_url(group), {"action": "remove", "membership": theirs.pk})

    assert response.status_code == 409
    assert roles_in(elsewhere) == before


@pytest.mark.parametrize(
    "data",
    [{}, {"action": "explode", "membership": "1"}, {"action": "remove", "membership": "abc"}, {"action": "remove"}],
)
def test_a_garbled_form_is_answered_400_and_changes_nothing(client, team, data):
    group, lead, _alice, _bob = team
    before = roles_in(group)
    client.force_login(lead)

    response = client.post(manage_url(group), data)

    assert response.status_code == 400
    assert in_french("This action is not understood. Nothing has been changed.") in response.content.decode()
    assert roles_in(group) == before
