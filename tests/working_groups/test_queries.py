"""A group's page, a meeting note and the index cost a fixed number of SQL queries, however many
members, notes, documents or groups there are (DESIGN.md, performance targets)."""

import datetime
import itertools

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.documents import get_document_model

from tests.factories.members import ProfileFactory, UserFactory, make_member, make_staff
from tests.factories.working_groups import GroupMembershipFactory, MeetingNotePageFactory, make_group

pytestmark = pytest.mark.django_db

# Measured on Wagtail 8.0.1 / SQLite (second request of a session, so that the session and caches are
# warm), plus one or two of slack. About half is Wagtail's routing, session and user bar, and 6–8 are
# the access policy's Viewer (memberships, organisation seats, charter, roles, groups); the group's own
# lists cost 4–5.
GROUP_PAGE_BUDGET = {"lead": 28, "member": 20, "outsider": 19, "staff": 24}  # measured; leads and staff pay
# ~6 more for Wagtail's user bar (permissions, workflow), which members never get
INDEX_BUDGET = {"lead": 24, "basic": 15, "premium": 15, "staff": 20}  # measured
NOTE_PAGE_BUDGET = {"lead": 26, "member": 19, "staff": 22}  # measured

_counter = itertools.count()


def queries_for(client, user, url):
    """The number of queries of a second request (the first warms the session and the caches)."""
    client.force_login(user)
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def named_person():
    """Someone with a display name: naming them reads their profile, which the lists load with them."""
    user = UserFactory()
    ProfileFactory(user=user, display_name=f"Personne {next(_counter)}")
    return user


def grow_group(group, *, members, notes, documents):
    """Add people (some of them waiting for an answer), past and upcoming notes, and documents."""
    today = timezone.localdate()
    for _ in range(members):
        GroupMembershipFactory(group=group, user=named_person())
    for _ in range(max(1, members // 10)):
        GroupMembershipFactory(group=group, user=named_person(), state="requested")
    for n in range(notes):
        offset = n + 1 if n % 4 == 0 else -(n + 1)  # a quarter of them ahead
        MeetingNotePageFactory(parent=group, meeting_date=today + datetime.timedelta(days=offset))
    for _ in range(documents):
        get_document_model().objects.create(
            title=f"Document {next(_counter)}",
            collection=group.collection,
            file=ContentFile(b"%PDF-1.4 document", name="document.pdf"),
        )


@pytest.fixture
def group_and_viewers(groups_index):
    viewers = {
        "lead": make_member("basic"),
        "member": make_member("basic"),
        "outsider": make_member("basic"),
        "staff": make_staff(),
    }
    group = make_group(groups_index, leads=[viewers["lead"]], members=[viewers["member"]])
    group.refresh_from_db()
    return group, viewers


def test_group_page_costs_the_same_queries_with_5_or_60_members_and_notes(
    client, group_and_viewers, django_assert_max_num_queries
):
    group, viewers = group_and_viewers
    grow_group(group, members=5, notes=5, documents=5)
    small = {kind: queries_for(client, user, group.url) for kind, user in viewers.items()}

    # Twelve times as much: enough for a query per row to show; bench/ measures the club at full size.
    grow_group(group, members=55, notes=55, documents=20)
    large = {kind: queries_for(client, user, group.url) for kind, user in viewers.items()}

    assert all(large[kind] <= small[kind] for kind in small), (small, large)  # never grows with size
    for kind, user in viewers.items():
        client.force_login(user)
        client.get(group.url)
        with django_assert_max_num_queries(GROUP_PAGE_BUDGET[kind]):
            assert client.get(group.url).status_code == 200


def test_meeting_note_costs_the_same_queries_with_2_or_40_attendees_and_attachments(
    client, group_and_viewers, django_assert_max_num_queries
):
    group, viewers = group_and_viewers
    note = MeetingNotePageFactory(parent=group)
    counts = []
    for attendees in (2, 40):
        people = [named_person() for _ in range(attendees)]
        note.attendees.add(*people)
        documents = [
            get_document_model().objects.create(
                title=f"Annexe {next(_counter)}",
                collection=group.collection,
                file=ContentFile(b"%PDF-1.4 annexe", name="annexe.pdf"),
            )
            for _ in range(attendees)
        ]
        note.attachments = [("document", document) for document in documents]
        note.outcomes = [("decision", {"text": f"Décision {n}"}) for n in range(attendees)]
        note.save()
        counts.append({kind: queries_for(client, viewers[kind], note.url) for kind in NOTE_PAGE_BUDGET})

    assert all(counts[1][kind] <= counts[0][kind] for kind in counts[0]), counts  # never grows with size
    for kind in NOTE_PAGE_BUDGET:
        client.force_login(viewers[kind])
        client.get(note.url)
        with django_assert_max_num_queries(NOTE_PAGE_BUDGET[kind]):
            assert client.get(note.url).status_code == 200


def test_index_costs_the_same_queries_with_2_or_20_groups(client, groups_index, django_assert_max_num_queries):
    viewers = {
        "lead": make_member("premium"),
        "basic": make_member("basic"),
        "premium": make_member("premium"),
        "staff": make_staff(),
    }
    kinds = itertools.cycle([("members", "thematic"), ("premium", "cluster"), ("private", "thematic")])

    def add_groups(count):
        for _ in range(count):
            visibility, kind = next(kinds)
            group = make_group(
                groups_index,
                visibility=visibility,
                kind=kind,
                leads=[viewers["lead"], make_member("premium")],
                members=[make_member("premium")],
            )
            MeetingNotePageFactory(parent=group)

    add_groups(2)
    small = {kind: queries_for(client, user, groups_index.url) for kind, user in viewers.items()}
    add_groups(18)
    large = {kind: queries_for(client, user, groups_index.url) for kind, user in viewers.items()}

    assert all(large[kind] <= small[kind] for kind in small), (small, large)  # never grows with size
    for kind, user in viewers.items():
        client.force_login(user)
        client.get(groups_index.url)
        with django_assert_max_num_queries(INDEX_BUDGET[kind]):
            assert client.get(groups_index.url).status_code == 200
