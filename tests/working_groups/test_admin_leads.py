"""Leads in the admin: a button on their group's page opens the add form of a meeting note, attendees are
chosen by name among the group's members, notes are published without a moderation workflow, addresses are
ASCII, and the admin dashboard counts the requests to join that wait for them."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from members import roles
from tests.factories.members import ProfileFactory, make_member
from tests.factories.working_groups import GroupMembershipFactory, MeetingNotePageFactory, make_group, make_lead
from working_groups import services
from working_groups.models import GroupMembership, MeetingNotePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(group, staff):
    return make_lead(group, staff, username="luc.gerard@example.org", first_name="Luc", last_name="Gérard")


@pytest.fixture
def outsider_lead(other_group, staff):
    return make_lead(other_group, staff)


def add_note_url(group):
    return reverse("wagtailadmin_pages:add", args=["working_groups", "meetingnotepage", group.pk])


def new_note_button(response):
    return BeautifulSoup(response.content, "html.parser").select_one('[data-testid="new-meeting-note"]')


# --- "New meeting note" on the group's page --------------------------------------------------------------


def test_lead_sees_the_new_meeting_note_button_and_it_opens_the_add_form_under_the_group(client, lead, group):
    client.force_login(lead)
    button = new_note_button(client.get(group.url))
    assert button is not None
    assert button["href"] == add_note_url(group)
    response = client.get(button["href"])
    assert response.status_code == 200
    assert response.context["parent_page"].pk == group.pk
    assert response.context["page"].specific_class is MeetingNotePage


def test_staff_see_the_new_meeting_note_button(client, staff, group):
    client.force_login(staff)
    assert new_note_button(client.get(group.url))["href"] == add_note_url(group)


@pytest.mark.parametrize("kind", ["member", "outsider_lead", "basic", "anonymous"])
def test_others_do_not_see_the_new_meeting_note_button(client, group, outsider_lead, kind):
    if kind == "member":
        member = make_member("premium")
        GroupMembershipFactory(group=group, user=member)
        client.force_login(member)
    elif kind == "outsider_lead":
        client.force_login(outsider_lead)
    elif kind == "basic":
        client.force_login(make_member("basic"))
    response = client.get(group.url)
    assert new_note_button(response) is None
    assert add_note_url(group).encode() not in response.content


def test_outsider_lead_cannot_open_the_add_form_of_another_group(client, group, outsider_lead):
    client.force_login(outsider_lead)
    response = client.get(add_note_url(group))
    assert response.status_code in (302, 403)


# --- Attendees chosen by name ----------------------------------------------------------------------------


def attendee_labels(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        item["data-person-name"]: item.select_one("input[type=checkbox]")["value"]
        for item in soup.select("[data-people-chooser] [data-person-name]")
    }


def test_attendees_are_the_groups_members_listed_by_their_names_with_a_search_box(
    client, lead, group, other_group, staff
):
    named = make_member("premium", username="a.dupont@example.org", first_name="Anne", last_name="Dupont")
    displayed = make_member("premium", username="b.martin@example.org", first_name="Bruno", last_name="Martin")
    ProfileFactory(user=displayed).__class__.objects.filter(user=displayed).update(display_name="Bruno M.")
    services.add_member(group, named, by=staff)
    services.add_member(group, displayed, by=staff)
    waiting = make_member("premium", first_name="Wanda", last_name="Attente")
    GroupMembershipFactory(group=group, user=waiting, state=GroupMembership.State.REQUESTED)
    elsewhere = make_member("premium", first_name="Olivier", last_name="Ailleurs")
    GroupMembershipFactory(group=other_group, user=elsewhere)

    client.force_login(lead)
    response = client.get(add_note_url(group))
    labels = attendee_labels(response)

    assert labels == {"Anne Dupont": str(named.pk), "Bruno M.": str(displayed.pk), "Luc Gérard": str(lead.pk)}
    soup = BeautifulSoup(response.content, "html.parser")
    search = soup.select_one("[data-people-chooser] input[type=search][data-people-filter]")
    assert search is not None and soup.select_one(f'label[for="{search["id"]}"]') is not None
    assert b"people_chooser.js" in response.content
    for username in ("a.dupont@example.org", "b.martin@example.org", "luc.gerard@example.org"):
        assert username.encode() not in response.content


def test_the_edit_form_of_a_note_lists_the_same_people(client, lead, group, staff):
    note = MeetingNotePageFactory(parent=group, title="Réunion de février", slug="reunion-de-fevrier")
    client.force_login(lead)
    labels = attendee_labels(client.get(reverse("wagtailadmin_pages:edit", args=[note.pk])))
    assert labels == {"Luc Gérard": str(lead.pk)}


# --- No moderation workflow on groups; a lead publishes directly -------------------------------------------


def note_form(title, *, slug, attendees=(), publish=True):
    data = {
        "title": title,
        "slug": slug,
        "meeting_date": "2027-01-14",
        "place": "Bruxelles",
        "video_link": "",
        "agenda": rich_text("<p>Budget IT 2027.</p>"),
        "outcomes": streamfield([("decision", {"text": "Le budget est adopté."})]),
        "attachments": streamfield([]),
    }
    if publish:
        data["action-publish"] = "action-publish"
    # A multiple choice posts the same name once per value (nested_form_data would number a list).
    return {**nested_form_data(data), "attendees": [str(pk) for pk in attendees]}


def test_groups_and_their_notes_have_no_workflow(group, lead):
    note = MeetingNotePageFactory(parent=group)
    assert group.get_workflow() is None
    assert note.get_workflow() is None


def test_the_add_form_offers_a_lead_publish_and_no_submission_for_moderation(client, lead, group):
    client.force_login(lead)
    soup = BeautifulSoup(client.get(add_note_url(group)).content, "html.parser")
    assert soup.select_one('button[name="action-publish"]') is not None
    assert soup.select_one('button[name="action-submit"]') is None
    assert soup.select_one('[name="action-workflow-action"]') is None


def test_lead_publishes_a_note_with_attendees_directly(client, lead, group, staff):
    anne = make_member("premium", first_name="Anne", last_name="Dupont")
    services.add_member(group, anne, by=staff)
    client.force_login(lead)
    response = client.post(
        add_note_url(group),
        note_form("Réunion budget IT 2027", slug="reunion-budget-it-2027", attendees=[lead.pk, anne.pk]),
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    note = MeetingNotePage.objects.child_of(group).get()
    assert note.live and not note.has_unpublished_changes
    assert note.current_workflow_state is None
    assert set(note.attendees.all()) == {lead, anne}


def test_an_attendee_outside_the_group_is_refused_with_a_form_error(client, lead, group):
    stranger = make_member("premium")
    client.force_login(lead)
    response = client.post(add_note_url(group), note_form("Réunion", slug="reunion", attendees=[stranger.pk]))
    assert response.status_code == 200
    assert "attendees" in response.context["form"].errors
    assert not MeetingNotePage.objects.exists()


# --- ASCII addresses -------------------------------------------------------------------------------------


def test_the_admins_slug_field_makes_ascii_addresses(client, lead, group):
    client.force_login(lead)
    soup = BeautifulSoup(client.get(add_note_url(group)).content, "html.parser")
    slug = soup.select_one('input[name="slug"]')
    assert slug["data-controller"] == "w-slug"
    # Django leaves a false boolean attribute out; the w-slug controller then keeps to ASCII (its default).
    assert "data-w-slug-allow-unicode-value" not in slug.attrs


def test_a_page_saved_without_a_slug_gets_an_ascii_one(group):
    note = MeetingNotePage(title="Réunion budget IT 2027", meeting_date="2027-01-14")
    group.add_child(instance=note)
    assert note.slug == "reunion-budget-it-2027"


# --- The admin dashboard counts the requests that wait for the leads -----------------------------------


def join_requests_panel(client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one('[data-testid="join-requests"]')


def ask_to_join(group):
    user = make_member("premium")
    GroupMembershipFactory(group=group, user=user, state=GroupMembership.State.REQUESTED)
    return user


def test_lead_sees_the_requests_waiting_in_their_group_on_the_admin_dashboard(client, lead, group, other_group):
    ask_to_join(group)
    ask_to_join(group)
    ask_to_join(other_group)
    client.force_login(lead)
    panel = join_requests_panel(client)
    rows = panel.select('[data-testid="join-requests-group"]')
    assert len(rows) == 1
    assert "Gouvernance IT" in rows[0].text and "2" in rows[0].text
    assert rows[0].a["href"] == reverse("working_groups:members", args=[group.pk])
    assert "Marchés publics" not in panel.text


def test_lead_with_no_request_waiting_is_told_so(client, lead, group):
    client.force_login(lead)
    panel = join_requests_panel(client)
    assert panel is not None and not panel.select('[data-testid="join-requests-group"]')


def test_outsider_lead_does_not_see_another_groups_requests(client, group, outsider_lead):
    ask_to_join(group)
    client.force_login(outsider_lead)
    panel = join_requests_panel(client)
    assert "Gouvernance IT" not in panel.text


def test_staff_see_the_requests_of_groups_without_a_lead_only(client, staff, lead, group, groups_index):
    leaderless = make_group(groups_index, title="Cloud souverain", join_policy="request")
    ask_to_join(leaderless)
    ask_to_join(group)  # its lead answers it
    client.force_login(staff)
    panel = join_requests_panel(client)
    titles = [row.a.text for row in panel.select('[data-testid="join-requests-group"]')]
    assert titles == ["Cloud souverain"]


def test_an_editor_who_leads_nothing_gets_no_join_requests_panel(client, group):
    ask_to_join(group)
    editor = make_member("premium", roles_=[roles.TECHWATCH_EDITORS])
    client.force_login(editor)
    assert join_requests_panel(client) is None


def dashboard_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("wagtailadmin_home")).status_code == 200
    return len(queries)


def test_the_join_requests_panel_costs_the_same_queries_with_one_or_many_groups_and_requests(
    client, staff, groups_index
):
    lead = make_member("premium")
    first = make_group(groups_index, title="Groupe A")
    services.add_member(first, lead, by=staff, role=GroupMembership.Role.LEAD)
    ask_to_join(first)
    client.force_login(lead)
    dashboard_queries(client)  # the first visit fills per-process caches (site root, hooks)
    few = dashboard_queries(client)
    for number in range(4):
        group = make_group(groups_index, title=f"Groupe {number}")
        services.add_member(group, lead, by=staff, role=GroupMembership.Role.LEAD)
        ask_to_join(group)
        ask_to_join(group)
    lead.refresh_from_db()
    client.force_login(lead)
    assert len(join_requests_panel(client).select('[data-testid="join-requests-group"]')) == 5
    assert dashboard_queries(client) == few
