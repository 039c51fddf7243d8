"""The dashboard's "my groups" panel: the member's groups, each with its latest notes the member may read,
at a fixed number of queries however many groups they belong to."""

import datetime
import re

import pytest
from django.utils import timezone

from tests.factories.members import make_member
from tests.factories.working_groups import MeetingNotePageFactory, make_group
from working_groups.dashboard import GROUPS_SHOWN

pytestmark = pytest.mark.django_db

PANEL = 'data-testid="panel-my-groups"'
# Measured: 12 for the dashboard itself, 3 for this panel (the viewer's groups, the groups, their notes).
# DESIGN.md caps every page at 20; a new query here must be paid for.
# Measured: the dashboard with the "my groups" panel (1 or 10 groups) and the empty watch panel (16), plus
# one query each for the "My registrations" (events) and "Opportunities" panels, empty here.
QUERIES = 18


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def dashboard(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def panel_of(html):
    return html.split(PANEL)[1].split("</section>")[0]


def card_of(html, group):
    """What the panel says under one group's title, up to the next group."""
    after_title = panel_of(html).split(f'data-testid="my-group-{group.pk}"')[1].split("</h3>", 1)[1]
    return re.split(r'data-testid="my-group-\d+"', after_title)[0]


def test_a_member_of_two_groups_sees_both_with_their_three_latest_notes(client, groups_index):
    member = make_member()
    cloud = make_group(groups_index, title="Atelier Cloud", members=[member])
    security = make_group(groups_index, title="Atelier Sécurité", members=[member])
    for n in range(1, 5):
        MeetingNotePageFactory(parent=cloud, title=f"Cloud séance {n}", meeting_date=days_ago(10 * n))
    MeetingNotePageFactory(parent=security, title="Sécurité séance unique", meeting_date=days_ago(3))

    html = dashboard(client, member)

    cloud_card, security_card = card_of(html, cloud), card_of(html, security)
    assert cloud_card.count('data-testid="my-group-note"') == 3
    assert "Cloud séance 1" in cloud_card and "Cloud séance 3" in cloud_card
    assert "Cloud séance 4" not in cloud_card  # the oldest
    assert cloud_card.index("Cloud séance 1") < cloud_card.index("Cloud séance 2")  # newest first
    assert security_card.count('data-testid="my-group-note"') == 1
    assert "Sécurité séance unique" in security_card


def test_a_busy_group_does_not_push_the_other_groups_notes_out(client, groups_index):
    member = make_member()
    busy = make_group(groups_index, title="Atelier Bavard", members=[member])
    quiet = make_group(groups_index, title="Atelier Calme", members=[member])
    for n in range(21):
        MeetingNotePageFactory(parent=busy, meeting_date=days_ago(n + 1))
    MeetingNotePageFactory(parent=quiet, title="La seule réunion du calme", meeting_date=days_ago(90))

    html = dashboard(client, member)

    assert "La seule réunion du calme" in card_of(html, quiet)


def test_a_private_groups_notes_appear_only_to_its_members(client, groups_index):
    insider, outsider = make_member(), make_member()
    private = make_group(groups_index, title="Cercle restreint", visibility="private", members=[insider])
    make_group(groups_index, title="Atelier ouvert", members=[outsider])
    MeetingNotePageFactory(parent=private, title="Réunion à huis clos")

    assert "Réunion à huis clos" in panel_of(dashboard(client, insider))
    outsider_html = dashboard(client, outsider)
    assert "Atelier ouvert" in panel_of(outsider_html)
    assert "Cercle restreint" not in outsider_html and "Réunion à huis clos" not in outsider_html


def test_a_basic_member_inside_a_premium_cluster_sees_the_cluster_but_not_its_notes(client, groups_index):
    basic = make_member("basic")
    cluster = make_group(groups_index, title="Grappe Données", kind="cluster", visibility="premium", members=[basic])
    MeetingNotePageFactory(parent=cluster, title="Réunion de la grappe")

    html = dashboard(client, basic)

    assert "Grappe Données" in panel_of(html)
    # Its title may show elsewhere (members may know the clusters' notes exist); the panel lists what opens.
    assert "Réunion de la grappe" not in panel_of(html)


def test_a_member_in_no_group_sees_no_panel(client, groups_index):
    make_group(groups_index, title="Atelier d'autrui", members=[make_member()])

    html = dashboard(client, make_member())

    assert PANEL not in html
    assert "Atelier d'autrui" not in html


def test_a_group_member_whose_club_membership_ended_sees_no_panel(client, groups_index):
    lapsed = make_member(expired=True)
    group = make_group(groups_index, title="Atelier d'hier", members=[lapsed])
    MeetingNotePageFactory(parent=group)

    assert PANEL not in dashboard(client, lapsed)


@pytest.mark.parametrize("group_count", [1, 10])
def test_the_dashboard_costs_the_same_queries_for_one_group_or_ten(
    client, groups_index, django_assert_max_num_queries, group_count
):
    member = make_member("premium")
    for n in range(group_count):
        group = make_group(groups_index, visibility=["members", "premium", "private"][n % 3], members=[member])
        for days in (5, 15, 25, 35):
            MeetingNotePageFactory(parent=group, meeting_date=days_ago(days))
    client.force_login(member)
    client.get("/")  # caches warmed: site root paths, settings

    with django_assert_max_num_queries(QUERIES):
        html = client.get("/").content.decode()

    # The panel shows the most active groups (GROUPS_SHOWN), and links to all of them when it leaves some out.
    shown = min(group_count, GROUPS_SHOWN)
    assert panel_of(html).count('data-testid="my-group-note"') == 3 * shown
    assert ('data-testid="all-my-groups"' in panel_of(html)) == (group_count > GROUPS_SHOWN)
