"""The dashboard's "My registrations" panel: upcoming events the member is registered or waiting for,
through the policy, at a fixed number of queries."""

import datetime

import pytest
from django.utils import timezone

from events import services
from tests.factories.events import make_event
from tests.factories.members import make_member
from tests.factories.working_groups import GroupMembershipFactory, make_group

PANEL = 'data-testid="panel-my-registrations"'


def panel(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    return html.split(PANEL)[1].split("</section>")[0] if PANEL in html else None


def test_the_panel_lists_upcoming_registrations_and_waiting_positions(client, agenda):
    member = make_member("basic")
    soon = make_event(agenda, title="Bientôt", start_date=timezone.localdate() + datetime.timedelta(days=3))
    full = make_event(agenda, title="Complet", capacity=1)
    services.register(full, make_member("basic"))
    services.register(full, make_member("basic"))
    services.register(soon, member)
    services.register(full, member)  # second on the waiting list
    html = panel(client, member)
    assert html.index("Bientôt") < html.index("Complet")  # soonest first
    full_card = html.split(f'data-testid="my-registration-{full.pk}"')[1]
    assert "2" in full_card.split('data-testid="my-registration-state"')[1].split("</span>")[0]


def test_cancelled_and_past_registrations_are_not_listed(client, agenda):
    member = make_member("basic")
    past = make_event(agenda, title="Passé")
    cancelled = make_event(agenda, title="Annulé")
    services.register(past, member)
    services.register(cancelled, member)
    services.cancel(cancelled, member)
    # The event moves to last month:
    past.start_date = timezone.localdate() - datetime.timedelta(days=30)
    past.save()
    assert panel(client, member) is None


def test_a_group_event_drops_out_once_the_member_left_the_group(client, agenda, groups_index):
    member = make_member("basic")
    group = make_group(groups_index, members=[member])
    event = make_event(agenda, audience="group", group=group, title="Réunion du groupe")
    services.register(event, member)
    assert "Réunion du groupe" in panel(client, member)
    group.memberships.filter(user=member).delete()
    assert panel(client, member) is None


def test_visitors_and_expired_members_get_no_panel(client, agenda, viewers):
    event = make_event(agenda)
    services.register(event, viewers["premium"])
    from members.models import Membership

    Membership.objects.filter(user=viewers["premium"]).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    client.force_login(viewers["premium"])
    assert PANEL not in client.get("/").content.decode()


@pytest.mark.parametrize("count", [1, 8])
def test_the_panel_costs_the_same_queries_for_1_or_8_registrations(
    client, agenda, groups_index, count, django_assert_max_num_queries
):
    member = make_member("basic")
    group = make_group(groups_index)
    filler = make_member("basic")  # takes each event's only seat, so that the member waits
    GroupMembershipFactory(group=group, user=member)
    GroupMembershipFactory(group=group, user=filler)
    for n in range(count):
        event = make_event(agenda, capacity=1, audience="group" if n % 2 else "members", group=group)
        services.register(event, filler)
        services.register(event, member)
    client.force_login(member)
    client.get("/")
    with django_assert_max_num_queries(20):
        html = client.get("/").content.decode()
    assert html.count('data-testid="my-registration-state"') == count
