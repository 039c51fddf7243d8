"""Joining a group: open (a click), on request (the leads answer, the requester is told), or by
invitation of a lead only; leaving; and what the group page offers each person."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from wagtail.log_actions import registry

from members.access import FORBIDDEN_REASONS
from tests.factories.members import make_member, make_staff
from tests.factories.working_groups import GroupMembershipFactory, make_group
from working_groups.models import GroupMembership

pytestmark = pytest.mark.django_db


def french(text, **params):
    """What the site (French first) says for an English msgid."""
    with translation.override("fr"):
        return gettext(text) % params if params else gettext(text)


def in_french(text, **params):
    """The same, as it appears in HTML."""
    return escape(french(text, **params))


def message_texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def join_url(group):
    return reverse("working_groups:join", args=[group.pk])


def leave_url(group):
    return reverse("working_groups:leave", args=[group.pk])


def actions(group):
    return list(registry.get_logs_for_instance(group).values_list("action", flat=True))


def membership(group, user):
    return GroupMembership.objects.filter(group=group, user=user).first()


# --- Open groups ---------------------------------------------------------------------------------


def test_member_joins_an_open_group_with_one_click(client, groups_index):
    group = make_group(groups_index, leads=[make_member()])
    member = make_member()
    client.force_login(member)

    response = client.post(join_url(group))

    assert response.status_code == 302
    assert response.url == group.url
    joined = membership(group, member)
    assert (joined.state, joined.role) == ("active", "member")
    assert "cercle.group.join" in actions(group)
    assert message_texts(response) == [french("Welcome to %(group)s: you are now a member.", group=group.title)]


def test_joining_twice_keeps_one_membership_and_says_so(client, groups_index):
    group = make_group(groups_index)
    member = make_member()
    client.force_login(member)
    client.post(join_url(group))

    response = client.post(join_url(group), follow=True)

    assert GroupMembership.objects.filter(group=group, user=member).count() == 1
    assert in_french("You are already a member of this group.") in response.content.decode()


def test_new_member_sees_the_group_as_a_member_after_joining(client, groups_index):
    group = make_group(groups_index)
    member = make_member()
    client.force_login(member)

    response = client.post(join_url(group), follow=True)

    assert response.status_code == 200
    assert b'data-testid="membership-status"' in response.content
    assert b'data-testid="leave-form"' in response.content
    assert b'data-testid="join-form"' not in response.content


# --- Groups on request ----------------------------------------------------------------------------


@pytest.fixture
def group_on_request(groups_index):
    leads = [make_member(email="lead1@example.org"), make_member(email="lead2@example.org")]
    members = [make_member(email="someone@example.org")]
    group = make_group(groups_index, join_policy="request", leads=leads, members=members)
    group.the_leads = leads
    return group


def ask_to_join(client, group, django_capture_on_commit_callbacks):
    requester = make_member(first_name="Claire", last_name="Dumont", email="claire@example.org")
    client.force_login(requester)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(join_url(group))
    return requester, response


def test_asking_to_join_leaves_a_request_and_mails_the_leads_only(
    client, group_on_request, django_capture_on_commit_callbacks
):
    requester, response = ask_to_join(client, group_on_request, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response.url == group_on_request.url
    request = membership(group_on_request, requester)
    assert request.state == "requested"
    assert requester.pk not in {m.user_id for m in group_on_request.memberships.filter(state="active")}
    assert "cercle.group.request" in actions(group_on_request)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sorted(sent.to) == ["lead1@example.org", "lead2@example.org"]
    assert "someone@example.org" not in sent.to + sent.cc + sent.bcc
    assert "Claire Dumont" in sent.body
    assert reverse("working_groups:members", args=[group_on_request.pk]) in sent.body


def test_requester_sees_the_request_pending_and_no_member_content(
    client, group_on_request, django_capture_on_commit_callbacks
):
    ask_to_join(client, group_on_request, django_capture_on_commit_callbacks)

    page = client.get(group_on_request.url)

    assert b'data-testid="request-pending"' in page.content
    assert b'data-testid="join-form"' not in page.content
    assert b'data-testid="membership-status"' not in page.content


def test_asking_again_sends_no_second_mail(client, group_on_request, django_capture_on_commit_callbacks):
    ask_to_join(client, group_on_request, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(join_url(group_on_request), follow=True)

    assert len(mail.outbox) == 1
    assert in_french("Your request to join is already waiting for the leads' answer.") in response.content.decode()


def test_lead_approves_a_request_and_the_requester_is_told(
    client, group_on_request, django_capture_on_commit_callbacks
):
    requester, _response = ask_to_join(client, group_on_request, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    request = membership(group_on_request, requester)
    client.force_login(group_on_request.the_leads[0])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("working_groups:members", args=[group_on_request.pk]),
            {"action": "approve", "membership": request.pk},
        )

    assert response.status_code == 302
    assert membership(group_on_request, requester).state == "active"
    assert "cercle.group.approve" in actions(group_on_request)
    assert [m.to for m in mail.outbox] == [["claire@example.org"]]
    assert group_on_request.url in mail.outbox[0].body


def test_lead_declines_a_request_and_the_requester_is_told(
    client, group_on_request, django_capture_on_commit_callbacks
):
    requester, _response = ask_to_join(client, group_on_request, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    request = membership(group_on_request, requester)
    client.force_login(group_on_request.the_leads[1])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("working_groups:members", args=[group_on_request.pk]),
            {"action": "decline", "membership": request.pk},
        )

    assert response.status_code == 302
    assert membership(group_on_request, requester) is None
    assert "cercle.group.decline" in actions(group_on_request)
    assert [m.to for m in mail.outbox] == [["claire@example.org"]]


def test_requester_withdraws_their_request(client, group_on_request, django_capture_on_commit_callbacks):
    requester, _response = ask_to_join(client, group_on_request, django_capture_on_commit_callbacks)

    response = client.post(leave_url(group_on_request))

    assert response.status_code == 302
    assert membership(group_on_request, requester) is None


# --- Refusals -------------------------------------------------------------------------------------


def test_group_by_invitation_refuses_joining_with_an_explanation(client, groups_index):
    group = make_group(groups_index, join_policy="invitation", leads=[make_member()])
    client.force_login(make_member())

    response = client.post(join_url(group))

    assert response.status_code == 403
    assert (
        in_french("%(group)s is joined by invitation of its leads only: ask one of them to add you.", group=group.title)
        in response.content.decode()
    )
    assert group.memberships.count() == 1


def test_basic_member_cannot_join_a_cluster_and_is_told_about_premium(client, groups_index):
    cluster = make_group(groups_index, kind="cluster", visibility="premium")
    basic = make_member("basic")
    client.force_login(basic)

    response = client.post(join_url(cluster))

    assert response.status_code == 403
    assert in_french(str(FORBIDDEN_REASONS["premium"])) in response.content.decode()
    assert membership(cluster, basic) is None


def test_premium_member_joins_a_cluster(client, groups_index):
    cluster = make_group(groups_index, kind="cluster", visibility="premium")
    premium = make_member("premium")
    client.force_login(premium)

    response = client.post(join_url(cluster))

    assert response.status_code == 302
    assert membership(cluster, premium).state == "active"


def test_expired_member_cannot_join_and_is_told_to_renew(client, groups_index):
    group = make_group(groups_index)
    expired = make_member(expired=True)
    client.force_login(expired)

    response = client.post(join_url(group))

    assert response.status_code == 403
    assert in_french(str(FORBIDDEN_REASONS["renewal"])) in response.content.decode()
    assert membership(group, expired) is None


def test_member_who_has_not_signed_the_charter_is_sent_to_sign_it_then_back_to_the_group(client, groups_index):
    group = make_group(groups_index)
    unsigned = make_member(signed=False)
    client.force_login(unsigned)

    response = client.post(join_url(group))

    assert response.status_code == 302
    assert response.url.startswith(reverse("members:charter"))
    assert membership(group, unsigned) is None


def test_anonymous_visitor_is_sent_to_log_in_then_back_to_the_group_page(client, groups_index):
    group = make_group(groups_index)

    response = client.post(join_url(group))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert response.url.endswith("?next=" + group.url)


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_private_group_is_not_found_by_outsiders(client, groups_index, who):
    group = make_group(groups_index, visibility="private", join_policy="open", leads=[make_member()])
    if who == "outsider":
        client.force_login(make_member("premium"))

    for url in (join_url(group), leave_url(group), reverse("working_groups:members", args=[group.pk])):
        response = client.post(url)
        assert response.status_code == 404, url
    assert group.memberships.count() == 1


def test_staff_who_are_not_in_a_private_group_are_told_it_is_by_invitation(client, groups_index):
    group = make_group(groups_index, visibility="private", leads=[make_member()])
    staff = make_staff()
    client.force_login(staff)

    response = client.post(join_url(group))

    assert response.status_code == 403
    assert membership(group, staff) is None


def test_unknown_or_unpublished_group_is_not_found(client, groups_index):
    draft = make_group(groups_index)
    draft.unpublish()
    client.force_login(make_member())

    assert client.post(join_url(draft)).status_code == 404
    assert client.post(reverse("working_groups:join", args=[draft.pk + 1000])).status_code == 404


def test_get_on_post_only_addresses_answers_405(client, groups_index):
    group = make_group(groups_index)
    client.force_login(make_member())

    assert client.get(join_url(group)).status_code == 405
    assert client.get(leave_url(group)).status_code == 405


# --- Leaving --------------------------------------------------------------------------------------


def test_member_leaves_a_group(client, groups_index):
    member = make_member()
    group = make_group(groups_index, leads=[make_member()], members=[member])
    client.force_login(member)

    response = client.post(leave_url(group))

    assert response.status_code == 302
    assert response.url == group.url
    assert membership(group, member) is None
    entry = registry.get_logs_for_instance(group).get(action="cercle.group.leave")
    assert entry.user_id == member.pk


def test_a_lead_leaves_when_another_lead_remains(client, groups_index):
    lead, other = make_member(), make_member()
    group = make_group(groups_index, leads=[lead, other])
    client.force_login(lead)

    response = client.post(leave_url(group))

    assert response.status_code == 302
    assert list(group.memberships.values_list("user_id", "role")) == [(other.pk, "lead")]


def test_the_last_lead_cannot_leave_and_is_shown_how_to_hand_over(client, groups_index):
    lead, member = make_member(), make_member()
    group = make_group(groups_index, leads=[lead], members=[member])
    client.force_login(lead)

    response = client.post(leave_url(group))

    assert response.status_code == 409
    assert in_french("A group keeps at least one lead: promote someone else first.") in response.content.decode()
    assert b'data-testid="group-members-management"' in response.content
    assert membership(group, lead).role == "lead"


def test_leaving_a_group_one_is_not_in_changes_nothing(client, groups_index):
    group = make_group(groups_index, leads=[make_member()])
    client.force_login(make_member())

    response = client.post(leave_url(group), follow=True)

    assert response.status_code == 200
    assert in_french("You are not a member of this group.") in response.content.decode()
    assert group.memberships.count() == 1


# --- What the group page offers -------------------------------------------------------------------


def actions_block(response):
    html = response.content.decode()
    start = html.index('data-testid="group-actions"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize(
    ("policy", "visibility", "offered"),
    [
        ("open", "members", 'data-testid="join-form"'),
        ("request", "members", 'data-testid="join-form"'),
        ("invitation", "members", 'data-testid="join-by-invitation"'),
    ],
)
def test_group_page_offers_what_the_join_policy_allows(client, groups_index, policy, visibility, offered):
    group = make_group(groups_index, join_policy=policy, visibility=visibility)
    client.force_login(make_member())

    block = actions_block(client.get(group.url))

    assert offered in block
    assert 'data-testid="manage-members-link"' not in block
    if policy == "invitation":
        assert "<form" not in block


def test_group_page_tells_its_lead_how_many_requests_wait(client, groups_index):
    lead = make_member()
    group = make_group(groups_index, join_policy="request", leads=[lead])
    GroupMembershipFactory(group=group, state="requested")
    GroupMembershipFactory(group=group, state="requested")
    client.force_login(lead)

    block = actions_block(client.get(group.url))

    assert 'data-testid="manage-members-link"' in block
    assert reverse("working_groups:members", args=[group.pk]) in block
    assert 'data-testid="pending-count"' in block
    assert "2" in block.split('data-testid="pending-count"')[1]
    assert 'data-testid="last-lead-note"' in block  # the only lead is not offered to leave


def test_staff_see_the_management_link_on_any_group(client, groups_index):
    group = make_group(groups_index, visibility="private", leads=[make_member()])
    client.force_login(make_staff())

    block = actions_block(client.get(group.url))

    assert 'data-testid="manage-members-link"' in block
    assert 'data-testid="join-by-invitation"' in block


def test_a_request_is_not_approved_once_the_requester_is_no_longer_entitled(groups_index):
    import datetime

    from django.utils import timezone

    from working_groups import services

    lead = make_member("premium")
    requester = make_member("premium")
    cluster = make_group(groups_index, visibility="premium", kind="cluster", join_policy="request", leads=[lead])
    services.join(cluster, requester)
    requester.memberships.update(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    request = GroupMembership.objects.get(group=cluster, user=requester)
    with pytest.raises(services.GroupError):
        services.decide_request(request, approve=True, by=lead)
    assert GroupMembership.objects.get(pk=request.pk).state == "requested"


def test_a_request_to_a_group_without_a_lead_reaches_the_clubs_staff(groups_index, django_capture_on_commit_callbacks):
    from working_groups import services

    staff = make_staff()
    group = make_group(groups_index, join_policy="request")
    with django_capture_on_commit_callbacks(execute=True):
        services.join(group, make_member("basic"))
    assert [message.to for message in mail.outbox] == [[staff.email]]
