"""The admin names a private group, its notes and its documents to nobody outside it (issue 9).

Admin users of other kinds (the lead of another group, the watch's editors and contributors) work in
the same Wagtail admin as the group's own lead: its choosers, explorer, bulk actions, reports and API
must not give them the private group's title, its notes' titles or its documents' titles. Staff and the
group's own lead see them. The private titles carry a marker ("Zephyr") that no search box echoes.
"""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.documents import get_document_model

from members import roles
from tests.factories.knowledge import TechWatchIndexPageFactory
from tests.factories.members import make_member
from tests.factories.working_groups import MeetingNotePageFactory, make_group, make_lead

pytestmark = pytest.mark.django_db

MARKER = "Zephyr"


@pytest.fixture
def board(groups_index, staff):
    """The private group with a note and its minutes, all named with the marker."""
    group = make_group(groups_index, visibility="private", join_policy="invitation", title=f"Conseil {MARKER}")
    group.refresh_from_db()
    note = MeetingNotePageFactory(parent=group, title=f"Admissions {MARKER}")
    minutes = get_document_model().objects.create(
        title=f"Proces-verbal {MARKER}",
        collection=group.collection,
        file=ContentFile(b"%PDF-1.4 minutes", name="proces-verbal.pdf"),
    )
    return group, note, minutes


@pytest.fixture
def people(board, other_group, staff, home_page):
    """Each kind of admin user: outsiders (another group's lead, an editor, a contributor), the board's
    own lead, and staff. The watch gives the editors and contributors their rights in the admin."""
    TechWatchIndexPageFactory(parent=home_page)
    return {
        "outsider_lead": make_lead(other_group, staff, username="lead.autre@example.org"),
        "editor": make_member("premium", roles_=[roles.TECHWATCH_EDITORS]),
        "contributor": make_member("basic", roles_=[roles.TECHWATCH_CONTRIBUTORS]),
        "board_lead": make_lead(board[0], staff, username="lead.conseil@example.org"),
        "staff": staff,
    }


OUTSIDERS = ["outsider_lead", "editor", "contributor"]
INSIDERS = ["board_lead", "staff"]


def bulk(app_label, model_name, action, query):
    return reverse("wagtail_bulk_action", args=(app_label, model_name, action)) + "?" + query


def listings(groups_index, board, other_group):
    """Admin places that list pages or documents: an outsider gets them without the private titles."""
    group, note, minutes = board
    return {
        "explorer of the groups": reverse("wagtailadmin_explore", args=[groups_index.pk]),
        "explorer results of the groups": reverse("wagtailadmin_explore_results", args=[groups_index.pk]),
        "admin page search": reverse("wagtailadmin_pages:search") + "?q=Admissions",
        "page chooser at the root": reverse("wagtailadmin_choose_page"),
        "page chooser in the groups": reverse("wagtailadmin_choose_page_child", args=[groups_index.pk]),
        "page chooser search for the group": reverse("wagtailadmin_choose_page_search") + "?q=Conseil",
        "page chooser search for the note": reverse("wagtailadmin_choose_page_search") + "?q=Admissions",
        "document chooser": reverse("wagtaildocs_chooser:choose"),
        "document chooser search": reverse("wagtaildocs_chooser:choose_results") + "?q=Proces",
        "documents": reverse("wagtaildocs:index") + "?q=Proces",
        "bulk delete of all documents": bulk("wagtaildocs", "document", "delete", "id=all"),
        "bulk delete of all groups": bulk("wagtailcore", "page", "delete", f"id=all&childOf={groups_index.pk}"),
        "bulk delete of the groups' and the board's": bulk(
            "wagtailcore", "page", "delete", f"id={other_group.pk}&id={group.pk}"
        ),
        "usage of the group type": reverse("wagtailadmin_pages:type_use", args=["working_groups", "workinggrouppage"]),
        "usage of the note type": reverse("wagtailadmin_pages:type_use", args=["working_groups", "meetingnotepage"]),
        "page types report": reverse("wagtailadmin_reports:page_types_usage"),
        "aging pages report": reverse("wagtailadmin_reports:aging_pages"),
        "site history report": reverse("wagtailadmin_reports:site_history"),
        "workflow report": reverse("wagtailadmin_reports:workflow"),
        "locked pages report": reverse("wagtailadmin_reports:locked_pages"),
        "admin API pages": reverse("wagtailadmin_api:pages:listing") + "?search=Conseil",
        "admin API documents": reverse("wagtailadmin_api:documents:listing"),
        "dashboard": reverse("wagtailadmin_home"),
    }


def addressed(board):
    """Admin places addressed by the id of a private page or document: an outsider gets a 404."""
    group, note, minutes = board
    return {
        "explorer of the group": reverse("wagtailadmin_explore", args=[group.pk]),
        "explorer of the note": reverse("wagtailadmin_explore", args=[note.pk]),
        "page chooser in the group": reverse("wagtailadmin_choose_page_child", args=[group.pk]),
        "pages chosen": reverse("wagtailadmin_choose_page_chosen_multiple") + f"?id={group.pk}&id={note.pk}",
        "note's editor": reverse("wagtailadmin_pages:edit", args=[note.pk]),
        "note's history": reverse("wagtailadmin_pages:history", args=[note.pk]),
        "note's revisions": reverse("wagtailadmin_pages:revisions_index", args=[note.pk]),
        "note's usage": reverse("wagtailadmin_pages:usage", args=[note.pk]),
        "note's move": reverse("wagtailadmin_pages:move", args=[note.pk]),
        "document chosen": reverse("wagtaildocs_chooser:chosen", args=[minutes.pk]),
        "document's editor": reverse("wagtaildocs:edit", args=[minutes.pk]),
        "document's usage": reverse("wagtaildocs:document_usage", args=[minutes.pk]),
        "bulk delete of the minutes": bulk("wagtaildocs", "document", "delete", f"id={minutes.pk}"),
        "bulk move of the minutes": bulk("wagtaildocs", "document", "add_to_collection", f"id={minutes.pk}"),
        "bulk tags on the minutes": bulk("wagtaildocs", "document", "add_tags", f"id={minutes.pk}"),
        "bulk delete of the group": bulk("wagtailcore", "page", "delete", f"id={group.pk}"),
        "bulk move of the group": bulk("wagtailcore", "page", "move", f"id={group.pk}"),
        "bulk publish of the note": bulk("wagtailcore", "page", "publish", f"id={note.pk}"),
        "bulk unpublish of the note": bulk("wagtailcore", "page", "unpublish", f"id={note.pk}"),
        "bulk delete of the group's notes": bulk("wagtailcore", "page", "delete", f"id=all&childOf={group.pk}"),
        "admin API document": reverse("wagtailadmin_api:documents:detail", args=[minutes.pk]),
    }


def get(client, url):
    return client.get(url, HTTP_ACCEPT="application/json" if "/api/" in url else "text/html")


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_outsiders_find_no_private_title_in_any_admin_listing(client, people, kind, groups_index, board, other_group):
    client.force_login(people[kind])
    leaks = {}
    for place, url in listings(groups_index, board, other_group).items():
        response = get(client, url)
        assert response.status_code < 500, place
        if MARKER in response.content.decode():
            leaks[place] = response.status_code
    assert leaks == {}


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_outsiders_get_a_404_where_the_admin_is_addressed_by_a_private_id(client, people, kind, board):
    client.force_login(people[kind])
    answers = {place: get(client, url) for place, url in addressed(board).items()}
    assert {place: r.status_code for place, r in answers.items() if r.status_code != 404} == {}
    assert [place for place, r in answers.items() if MARKER in r.content.decode()] == []


@pytest.mark.parametrize(
    ("url_name", "private"),
    [("wagtailadmin_explore", "group"), ("wagtailadmin_pages:edit", "note"), ("wagtaildocs:edit", "minutes")],
)
def test_a_private_id_answers_exactly_as_a_missing_one(client, people, board, url_name, private):
    objects = dict(zip(["group", "note", "minutes"], board, strict=True))
    client.force_login(people["editor"])
    hidden = client.get(reverse(url_name, args=[objects[private].pk]))
    missing = client.get(reverse(url_name, args=[999999]))
    assert hidden.status_code == missing.status_code == 404
    assert [t.name for t in hidden.templates] == [t.name for t in missing.templates]
    assert hidden.headers.get("Cache-Control") == missing.headers.get("Cache-Control")


@pytest.mark.parametrize("kind", INSIDERS)
def test_the_groups_lead_and_staff_find_its_pages_and_documents_in_the_admin(client, people, kind, board):
    group, note, minutes = board
    client.force_login(people[kind])
    found = {
        "explorer of the group": reverse("wagtailadmin_explore", args=[group.pk]),
        "page chooser in the group": reverse("wagtailadmin_choose_page_child", args=[group.pk]),
        "page chooser search": reverse("wagtailadmin_choose_page_search") + "?q=Admissions",
        "document chooser search": reverse("wagtaildocs_chooser:choose_results") + "?q=Proces",
        "bulk delete of the minutes": bulk("wagtaildocs", "document", "delete", f"id={minutes.pk}"),
        "bulk publish of the note": bulk("wagtailcore", "page", "publish", f"id={note.pk}"),
        "admin API document": reverse("wagtailadmin_api:documents:detail", args=[minutes.pk]),
        "note's editor": reverse("wagtailadmin_pages:edit", args=[note.pk]),
    }
    answers = {place: get(client, url) for place, url in found.items()}
    assert {place: r.status_code for place, r in answers.items() if r.status_code != 200} == {}
    assert [place for place, r in answers.items() if MARKER not in r.content.decode()] == []


def test_staff_read_the_private_note_in_the_page_types_report(client, people, board):
    client.force_login(people["staff"])
    response = client.get(reverse("wagtailadmin_reports:page_types_usage"))
    assert response.status_code == 200
    assert f"Admissions {MARKER}" in response.content.decode()


def test_the_page_types_report_counts_only_the_notes_an_outsider_may_know(client, people, board, other_group):
    MeetingNotePageFactory(parent=other_group, title="Réunion ouverte")
    client.force_login(people["outsider_lead"])
    response = client.get(reverse("wagtailadmin_reports:page_types_usage"))
    notes = next(row for row in response.context["object_list"] if row.model == "meetingnotepage")
    assert notes.count == 1
    assert notes.last_edited_page.title == "Réunion ouverte"


def test_an_outsiders_bulk_selection_keeps_what_they_may_know(client, people, board, other_group):
    group, note, minutes = board
    client.force_login(people["outsider_lead"])
    response = client.get(bulk("wagtailcore", "page", "publish", f"id={other_group.pk}&id={group.pk}"))
    assert response.status_code == 200
    assert "Marchés publics" in response.content.decode()
    assert MARKER not in response.content.decode()


def test_an_outsider_cannot_act_on_a_private_page_by_posting_a_bulk_action(client, people, board):
    group, note, minutes = board
    client.force_login(people["editor"])
    response = client.post(bulk("wagtailcore", "page", "unpublish", f"id={note.pk}"))
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.live


@pytest.mark.parametrize(
    "url",
    [
        "/admin/bulk/wagtailcore/page/delete/?id=abc",
        "/admin/bulk/wagtailcore/page/delete/?id=99999999999999999999",
        "/admin/bulk/wagtailcore/page/delete/?id=all&childOf=999999",
        "/admin/bulk/wagtailcore/page/delete/?id=all&childOf=abc",
        "/admin/bulk/wagtaildocs/document/delete/?id=abc",
        "/admin/choose-page/chosen-multiple/?id=abc",
        "/admin/choose-page/chosen-multiple/?id=99999999999999999999",
        "/admin/pages/99999999999999999999/",
    ],
)
@pytest.mark.parametrize("kind", ["outsider_lead", "staff"])
def test_bad_ids_in_the_admin_answer_404_not_500(client, people, url, kind):
    client.force_login(people[kind])
    assert client.get(url).status_code == 404


def test_the_page_choosers_cost_does_not_grow_with_the_number_of_private_groups(client, people, groups_index, staff):
    client.force_login(people["editor"])
    url = reverse("wagtailadmin_choose_page_child", args=[groups_index.pk])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    queries()  # the first request of a session fills caches
    before = queries()
    for number in range(3):
        make_group(groups_index, visibility="private", join_policy="invitation", title=f"Bureau {number}")
    assert queries() == before
