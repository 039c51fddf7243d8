"""The demo's working groups: built once and served as the policy says.

The tests only read the demo, so the module loads it once (`shared_demo`, tests/conftest.py); that
loading the demo e-mails no group member is tested in tests/home/test_load_demo.py, on a first load."""

import pytest
from django.contrib.auth.models import Group
from wagtail.documents import get_document_model
from wagtail.models import Collection, GroupPagePermission, Page

from members import roles
from members.access import Viewer
from working_groups.models import GroupMembership, MeetingNotePage, WorkingGroupIndexPage, WorkingGroupPage

pytestmark = pytest.mark.django_db

CLUSTERS = {"Web", "Internet des objets", "Data centers", "Sécurité", "Transmédia", "Jeux sérieux"}


def counts():
    return {
        "pages": Page.objects.count(),
        "memberships": GroupMembership.objects.count(),
        "documents": get_document_model().objects.count(),
        "collections": Collection.objects.count(),
        "django groups": Group.objects.count(),
        "page permissions": GroupPagePermission.objects.count(),
    }


@pytest.fixture
def demo(shared_demo):
    return shared_demo


def body_of(response):
    return b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content


def assert_valid_pdf(data):
    """A PDF whose cross-reference table points at each of its objects, as readers expect."""
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    xref = int(data.rsplit(b"startxref", 1)[1].split()[0])
    assert data[xref:].startswith(b"xref")
    rows = data[xref:].split(b"\n")[3:]  # "xref", "0 N", the free entry, then one row per object
    count = int(data[xref:].split(b"\n")[1].split()[1]) - 1
    for number, row in enumerate(rows[:count], start=1):
        assert data[int(row[:10]) :].startswith(b"%d 0 obj" % number)


def test_the_index_holds_six_premium_clusters_and_four_other_groups(demo):
    index = WorkingGroupIndexPage.objects.get(slug="groupes")
    assert index.title == "Groupes de travail" and index.show_in_menus and index.live
    groups = WorkingGroupPage.objects.child_of(index).live()
    clusters = groups.filter(kind="cluster")
    assert set(clusters.values_list("title", flat=True)) == CLUSTERS
    assert set(clusters.values_list("visibility", flat=True)) == {"premium"}
    assert groups.filter(kind="thematic").count() == 4
    for membership in GroupMembership.objects.filter(group__kind="cluster").select_related("user"):
        assert Viewer(membership.user).tier == "premium", membership


def test_lead_leads_gouvernance_it_and_may_publish_there(demo, client):
    lead = demo["lead"]
    group = WorkingGroupPage.objects.get(slug="gouvernance-it")
    assert group.join_policy == "request" and group.visibility == "members"
    assert group.memberships.get(user=lead).role == "lead"
    names = set(lead.groups.values_list("name", flat=True))
    assert {roles.GROUP_LEADS, f"{roles.GROUP_LEADS} · {group.pk}"} <= names
    assert group.permissions_for_user(lead).can_publish_subpage()
    note = MeetingNotePage.objects.child_of(group).first()
    assert note.permissions_for_user(lead).can_publish()
    client.force_login(lead)
    assert client.get(f"/admin/pages/add/working_groups/meetingnotepage/{group.pk}/").status_code == 200
    # A request from a member waits for the lead's answer.
    assert group.memberships.filter(state="requested").exists()


def test_gouvernance_it_has_a_past_and_an_upcoming_meeting(demo, client):
    from django.utils import timezone

    group = WorkingGroupPage.objects.get(slug="gouvernance-it")
    notes = MeetingNotePage.objects.child_of(group).live()
    today = timezone.localdate()
    assert notes.count() == 2
    assert notes.filter(meeting_date__lt=today).count() == 1
    assert notes.filter(meeting_date__gt=today).count() == 1
    client.force_login(demo["basic"])
    html = client.get(group.url).content.decode()
    assert "Réunion : le tableau de bord du DSI" in html and "Réunion : évaluation des prestataires cloud" in html


def test_the_private_board_has_three_members(demo):
    board = WorkingGroupPage.objects.get(slug="conseil-d-administration")
    assert (board.visibility, board.join_policy) == ("private", "invitation")
    usernames = set(board.memberships.filter(state="active").values_list("user__username", flat=True))
    assert usernames == {"admin", "thierry", "lead"}


def test_the_boards_note_and_its_pdf_open_for_lead_and_are_hidden_from_basic(demo, client):
    note = MeetingNotePage.objects.get(slug="conseil-admissions-et-programme")
    document = get_document_model().objects.get(pk=note.attachments[0].value.pk)
    assert document.collection_id == note.get_parent().specific.collection_id

    client.force_login(demo["lead"])
    response = client.get(note.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Admission de deux nouveaux membres" in html
    assert "Envoyer les invitations aux nouveaux membres" in html
    assert document.url in html
    response = client.get(document.url)
    assert response.status_code == 200
    assert_valid_pdf(body_of(response))

    client.force_login(demo["basic"])
    assert client.get(note.url).status_code == 404
    assert client.get(note.get_parent().url).status_code == 404
    assert client.get(document.url).status_code == 404


def test_every_demo_note_carries_decisions_action_items_and_a_pdf(demo):
    notes = MeetingNotePage.objects.live()
    assert notes.count() == 4
    for note in notes:
        kinds = {block.block_type for block in note.outcomes}
        assert "action_item" in kinds
        assert note.agenda
        (attachment,) = note.attachments
        assert attachment.value.file.name.endswith(".pdf")
    assert sum(1 for note in notes for b in note.outcomes if b.block_type == "decision") >= 3
