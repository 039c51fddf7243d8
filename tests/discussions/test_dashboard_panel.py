"""The dashboard's "what's new in your spaces": the latest threads of the member's spaces and the latest notes
of their groups, merged by date, through the policy (a private group's threads never reach an outsider),
with "new since your last visit" markers, at a fixed number of queries."""

import datetime

import pytest
import time_machine
from django.test import RequestFactory
from django.utils import timezone

from discussions import dashboard
from discussions.models import Follow, Reader, Thread
from members.access import Viewer
from tests.factories.discussions import answer, start
from tests.factories.working_groups import MeetingNotePageFactory

pytestmark = pytest.mark.django_db

PANEL = 'data-testid="panel-whats-new"'


def panel(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    return html.split(PANEL)[1].split("</section>")[0] if PANEL in html else None


def ago(**kwargs):
    return timezone.now() - datetime.timedelta(**kwargs)


def note(group, title, published):
    page = MeetingNotePageFactory(parent=group, title=title)
    type(page).objects.filter(pk=page.pk).update(first_published_at=published, last_published_at=published)
    return page


@pytest.fixture
def threads(people, spaces):
    return {kind: start(people["lead"], space, title=f"Sujet {kind}").thread for kind, space in spaces.items()}


@pytest.mark.parametrize(
    "name, shown",
    [
        ("member", {"club", "thematic", "cluster", "private"}),  # their groups' spaces and the club's
        ("outsider", {"club"}),  # in no group: the club-wide space only
        ("basic", {"club"}),
        ("staff", {"club"}),  # staff follow no group here: the club's space
    ],
)
def test_each_member_sees_the_threads_of_their_own_spaces(client, people, threads, name, shown):
    html = panel(client, people[name])
    listed = {kind for kind, thread in threads.items() if f'data-testid="whats-new-thread-{thread.pk}"' in html}
    assert listed == shown


def test_a_followed_space_is_one_of_the_members_spaces_while_they_may_read_it(client, people, spaces, threads):
    outsider, basic = people["outsider"], people["basic"]
    Follow.objects.create(user=outsider, space=spaces["cluster"])
    Follow.objects.create(user=basic, space=spaces["cluster"])  # followed once, basic members may not read it
    Follow.objects.create(user=outsider, space=spaces["private"])  # a row the policy will not honour
    assert "Sujet cluster" in panel(client, outsider)
    assert "Sujet cluster" not in panel(client, basic)
    assert "Sujet private" not in panel(client, outsider)


def test_visitors_and_lapsed_members_get_no_panel(client, people, threads):
    assert PANEL not in client.get("/").content.decode()
    for name in ("expired", "unsigned"):
        client.force_login(people[name])
        assert PANEL not in client.get("/").content.decode()
    request = RequestFactory().get("/")
    assert dashboard.whats_new(request, Viewer(people["expired"])) is None


def test_notes_of_the_members_groups_are_merged_by_date(client, people, spaces):
    group = spaces["private"].group
    start(people["lead"], spaces["club"], title="Un vieux sujet")
    Thread.objects.filter(title="Un vieux sujet").update(last_activity_at=ago(days=3))
    note(group, "Réunion récente du conseil", ago(days=1))
    recent = start(people["lead"], spaces["club"], title="Un sujet frais").thread

    html = panel(client, people["member"])

    assert html.index("Un sujet frais") < html.index("Réunion récente du conseil") < html.index("Un vieux sujet")
    assert f'data-testid="whats-new-thread-{recent.pk}"' in html
    assert "Réunion récente du conseil" not in panel(client, people["outsider"])


def test_markers_show_what_is_new_since_the_previous_visit(client, people, spaces):
    member = people["member"]
    old = start(people["lead"], spaces["club"], title="Déjà vu").thread
    Thread.objects.filter(pk=old.pk).update(last_activity_at=ago(hours=5))
    Reader.objects.create(user=member, seen_at=ago(hours=2), previous_seen_at=ago(hours=6))
    fresh = start(people["lead"], spaces["club"], title="Tout neuf").thread

    html = panel(client, member)

    fresh_item = html.split(f'data-testid="whats-new-thread-{fresh.pk}"')[1].split("</li>")[0]
    old_item = html.split(f'data-testid="whats-new-thread-{old.pk}"')[1].split("</li>")[0]
    assert 'data-testid="whats-new-marker"' in fresh_item
    assert 'data-testid="whats-new-marker"' not in old_item  # older than the visit two hours ago
    reader = Reader.objects.get(user=member)
    assert reader.previous_seen_at < ago(hours=1) < reader.seen_at

    # A reload a few minutes later keeps the markers…
    assert 'data-testid="whats-new-marker"' in panel(client, member)
    # …the next visit, half an hour on, starts from this one.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)):
        assert 'data-testid="whats-new-marker"' not in panel(client, member)


def test_a_first_visit_marks_nothing_and_records_the_visit(client, people, threads):
    html = panel(client, people["member"])
    assert 'data-testid="whats-new-marker"' not in html
    assert Reader.objects.filter(user=people["member"]).exists()


def test_the_panel_shows_the_last_author_the_reply_count_and_its_links(client, people, spaces):
    thread = start(people["lead"], spaces["club"], title="Avec réponses").thread
    answer(people["premium"], thread)
    answer(people["basic"], thread)
    html = panel(client, people["member"])
    item = html.split(f'data-testid="whats-new-thread-{thread.pk}"')[1].split("</li>")[0]
    assert "Bea Basic" in item and "2" in item
    assert 'data-testid="whats-new-discussions"' in html and 'data-testid="whats-new-unanswered"' in html


def test_at_most_ten_items(client, people, spaces):
    for n in range(14):
        start(people["lead"], spaces["club"], title=f"Sujet {n}")
    assert panel(client, people["member"]).count('data-testid="whats-new-thread-') == 10


@pytest.mark.parametrize("count", [3, 30])
def test_the_panel_costs_the_same_queries_for_3_or_30_threads(people, spaces, count, django_assert_max_num_queries):
    member, lead = people["member"], people["lead"]
    kinds = list(spaces)
    for n in range(count):
        thread = start(lead, spaces[kinds[n % 4]], title=f"Sujet {n}").thread
        answer(people["staff"], thread)
        note(spaces[kinds[1 + n % 3]].group, f"Réunion {n}", ago(hours=n))
        Follow.objects.get_or_create(user=member, thread=thread)
    Reader.objects.create(user=member, seen_at=ago(hours=1), previous_seen_at=ago(hours=3))
    viewer = Viewer(member)
    assert viewer.is_member and viewer.group_ids and not viewer.is_staff  # asked by the dashboard before the panels
    request = RequestFactory().get("/")
    request.user = member
    # The threads (with the visit marks), the notes, and the visit mark moved: an hour has passed.
    with django_assert_max_num_queries(3):
        context = dashboard.whats_new(request, viewer)
    assert len(context["items"]) == min(2 * count, 10)
    # A reload within half an hour leaves the visit marks alone.
    with django_assert_max_num_queries(2):
        assert dashboard.whats_new(request, viewer)["new_count"] == context["new_count"] > 0


def test_an_empty_panel_still_leads_to_the_discussions(client, people, spaces):
    html = panel(client, people["outsider"])
    assert 'data-testid="whats-new-empty"' in html
    assert 'data-testid="whats-new-discussions"' in html
