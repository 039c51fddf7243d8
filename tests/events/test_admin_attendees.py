"""Organisers' view of an event's participants in the admin, and the CSV/XLSX export."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from events import services
from members import roles
from members.models import Tier
from tests.factories.events import make_event
from tests.factories.members import OrganisationFactory, make_member, make_staff
from tests.factories.working_groups import make_lead


@pytest.fixture
def event_with_people(agenda):
    event = make_event(agenda, capacity=2, title="Forum cybersécurité")
    organisation = OrganisationFactory(name="Ville de Namur")
    alice = make_member("premium", first_name="Alice", last_name="Durant", email="alice@example.org")
    alice.profile.organisation = organisation
    alice.profile.save()
    bob = make_member("basic", first_name="Bob", last_name="Lenoir", email="bob@example.org")
    carla = make_member("basic", first_name="Carla", last_name="Vert", email="carla@example.org")
    dan = make_member("basic", first_name="Dan", last_name="Gris", email="dan@example.org")
    for person in (alice, bob, carla, dan):
        services.register(event, person)
    services.cancel(event, dan)  # waiting, then gone
    return event


def attendees_url(event):
    return reverse("events_attendees", args=[event.pk])


def export_url(event, fmt):
    return reverse("events_attendees_export", args=[event.pk, fmt])


def test_staff_see_attendees_and_the_waiting_list(client, event_with_people):
    client.force_login(make_staff())
    response = client.get(attendees_url(event_with_people))
    html = response.content.decode()
    assert response.status_code == 200
    confirmed = html.split('data-testid="attendees-confirmed"')[1].split("</table>")[0]
    waiting = html.split('data-testid="attendees-waiting"')[1].split("</table>")[0]
    assert "Alice Durant" in confirmed and "Bob Lenoir" in confirmed and "Carla" not in confirmed
    assert "Carla Vert" in waiting
    assert "Dan Gris" in html.split('data-testid="attendees-cancelled"')[1]


def test_the_csv_export_lists_confirmed_and_waiting_people(client, event_with_people):
    client.force_login(make_staff())
    response = client.get(export_url(event_with_people, "csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows[0]) == 6
    body = rows[1:]
    assert [row[1] for row in body] == ["alice@example.org", "bob@example.org", "carla@example.org"]
    assert body[0][0] == "Alice Durant" and body[0][2] == "Ville de Namur" and body[0][3] == Tier.PREMIUM.label
    assert body[1][3] == Tier.BASIC.label
    assert body[2][4] != body[0][4]  # waiting, registered


def test_the_xlsx_export_holds_the_same_rows(client, event_with_people):
    client.force_login(make_staff())
    response = client.get(export_url(event_with_people, "xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 4 and len(rows[0]) == 6
    assert [row[1] for row in rows[1:]] == ["alice@example.org", "bob@example.org", "carla@example.org"]
    assert rows[1][5] is not None  # registered at, as a date and time


def test_a_name_that_looks_like_a_formula_reaches_the_spreadsheets_as_text(client, agenda):
    event = make_event(agenda, title="Forum")
    trickster = make_member(
        "basic", first_name='=HYPERLINK("http://evil.example")', last_name="", email="t@example.org"
    )
    services.register(event, trickster)
    client.force_login(make_staff())

    rows = list(csv.reader(io.StringIO(client.get(export_url(event, "csv")).content.decode("utf-8-sig"))))
    assert rows[1][0].startswith("'=HYPERLINK")
    workbook = load_workbook(io.BytesIO(client.get(export_url(event, "xlsx")).content))
    cell = workbook.active["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_an_unknown_format_or_event_is_a_404(client, event_with_people):
    client.force_login(make_staff())
    assert client.get(export_url(event_with_people, "pdf")).status_code == 404
    assert client.get(reverse("events_attendees", args=[999999])).status_code == 404
    assert client.get("/admin/events/99999999999999999999999/participants/").status_code == 404


def test_an_admin_user_who_may_not_edit_the_event_gets_a_403(client, event_with_people):
    editor = make_member("basic", roles_=[roles.TECHWATCH_EDITORS])  # works in the admin, not on events
    client.force_login(editor)
    for url in (
        attendees_url(event_with_people),
        export_url(event_with_people, "csv"),
        export_url(event_with_people, "xlsx"),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert b"alice@example.org" not in response.content


def test_a_member_without_admin_access_never_reaches_it(client, event_with_people):
    client.force_login(make_member("premium"))
    response = client.get(export_url(event_with_people, "csv"))
    assert response.status_code in (302, 403)
    assert b"alice@example.org" not in response.content


def test_a_group_lead_who_may_edit_the_event_sees_its_participants(client, agenda, groups_index, event_with_people):
    """Page permissions decide: a lead given edit rights on the agenda (by staff) is an organiser."""
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupPagePermission

    from tests.factories.working_groups import make_group

    staff = make_staff()
    group = make_group(groups_index)
    lead = make_lead(group, by=staff)
    django_group = lead.groups.get(name__startswith=f"{roles.GROUP_LEADS} · ")
    GroupPagePermission.objects.create(
        group=django_group,
        page=agenda,
        permission=Permission.objects.get(codename="change_page", content_type__app_label="wagtailcore"),
    )
    client.force_login(lead)
    assert client.get(attendees_url(event_with_people)).status_code == 200


def test_the_participants_button_is_offered_on_the_event_in_the_admin(client, event_with_people):
    client.force_login(make_staff())
    html = client.get(reverse("wagtailadmin_pages:edit", args=[event_with_people.pk])).content.decode()
    assert attendees_url(event_with_people) in html
