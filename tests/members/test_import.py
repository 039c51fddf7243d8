"""Importing members from a CSV file: a dry run that writes nothing, then a confirmed import of that very file."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from members import imports, roles
from members.models import Membership, Profile
from tests.factories.members import MembershipFactory, OrganisationFactory, UserFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The import's messages are read in the language of whoever imports; these tests read English."""
    with translation.override("en"):
        yield


User = get_user_model()
HEADER = "email,first_name,last_name,category,tier,valid_from,valid_until,organisation,fee\n"
IMPORT_URL = "members_import:index"


@pytest.fixture
def acme():
    return OrganisationFactory(name="Acme SA")


def csv_file(text, name="members.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def snapshot():
    return User.objects.count(), Membership.objects.count(), Profile.objects.count(), ModelLogEntry.objects.count()


# --- Reading a file ------------------------------------------------------------------------------


def test_a_file_says_what_it_would_create_renew_or_leave_alone(acme):
    known = UserFactory(email="known@example.org", username="known@example.org")
    MembershipFactory(user=known, valid_from=datetime.date(2025, 1, 1), valid_until=datetime.date(2025, 12, 31))
    same = UserFactory(email="same@example.org", username="same@example.org")
    MembershipFactory(
        user=same, tier="premium", valid_from=datetime.date(2026, 1, 1), valid_until=datetime.date(2026, 12, 31)
    )
    report = imports.parse_members_csv(
        HEADER
        + "new@example.org,Nina,Neuve,effective,premium,2026-01-01,2026-12-31,Acme SA,450\n"
        + "Known@Example.org,,,adherent,basic,2026-01-01,,,\n"
        + "same@example.org,,,adherent,premium,2026-01-01,2026-12-31,,0\n"
    )
    assert not report.has_errors
    assert [(row.line, row.action) for row in report.rows] == [
        (2, imports.CREATE),
        (3, imports.RENEW),
        (4, imports.UNCHANGED),
    ]
    new = report.rows[0]
    assert (new.category, new.tier, new.organisation, new.fee) == ("effective", "premium", acme, Decimal("450.00"))
    assert report.rows[1].user == known
    assert report.rows[1].valid_until == datetime.date(2026, 12, 31)  # one year when no end is given


def test_every_bad_line_is_reported_with_its_line_number(acme):
    report = imports.parse_members_csv(
        HEADER
        + "not-an-address,,,,basic,2026-01-01,,,\n"
        + "a@example.org,,,,gold,2026-01-01,,,\n"
        + "b@example.org,,,,basic,31/02/2026,,,\n"
        + "c@example.org,,,,basic,2026-06-01,2026-05-31,,\n"
        + "d@example.org,,,,basic,2026-01-01,,Nowhere Ltd,\n"
        + "e@example.org,,,,basic,2026-01-01,,,\n"
        + "E@example.org,,,,premium,2026-01-01,,,\n"
        + "f@example.org,,,,basic,2026-01-01,,,-5\n"
    )
    errors = {row.line: " ".join(str(e) for e in row.errors) for row in report.rows if row.errors}
    assert sorted(errors) == [2, 3, 4, 5, 6, 8, 9]
    assert "not a valid e-mail address" in errors[2]
    assert "Unknown tier “gold”" in errors[3]
    assert "“31/02/2026” is not a date" in errors[4]
    assert "ends (valid_until) before it starts" in errors[5]
    assert "Unknown organisation “Nowhere Ltd”" in errors[6]
    assert "already on line 7" in errors[8]
    assert "not a fee" in errors[9]
    assert report.has_errors
    assert report.rows[5].action == imports.CREATE  # the good line is still planned, but nothing can be applied


def test_a_file_without_the_required_columns_is_refused_as_a_whole():
    report = imports.parse_members_csv("email,first_name,tyre\nx@example.org,X,basic\n")
    assert report.rows == []
    messages = " ".join(str(e) for e in report.file_errors)
    assert "Unknown column(s): tyre" in messages
    assert "Missing column(s): tier, valid_from" in messages


def test_spreadsheets_saved_in_french_are_understood(acme):
    report = imports.parse_members_csv(
        "\ufeffE-mail;First name;Last name;Tier;Valid from;Organisation;Fee\r\n"
        "nina@example.org;Nina;Neuve;Premium;01/02/2026;acme sa;1 200,50\r\n"
    )
    assert not report.has_errors, report.file_errors + report.rows[0].errors
    row = report.rows[0]
    assert (row.tier, row.valid_from, row.organisation, row.fee) == (
        "premium",
        datetime.date(2026, 2, 1),
        acme,
        Decimal("1200.50"),
    )


def test_reading_a_file_writes_nothing(acme):
    before = snapshot()
    imports.parse_members_csv(HEADER + "new@example.org,Nina,Neuve,,premium,2026-01-01,,Acme SA,\n")
    assert snapshot() == before


# --- Applying a report ---------------------------------------------------------------------------


def test_applying_creates_the_people_their_memberships_roles_and_audit_entries(staff, acme):
    report = imports.parse_members_csv(
        HEADER + f"new@example.org,Nina,Neuve,effective,premium,{datetime.date.today()},,Acme SA,450\n"
    )
    created = imports.apply_import(report, by=staff)

    person = User.objects.get(email="new@example.org")
    assert (person.username, person.get_full_name(), person.has_usable_password()) == (
        "new@example.org",
        "Nina Neuve",
        True,
    )
    assert person.profile.organisation == acme
    assert [(m.user, m.tier, m.category, m.organisation, m.fee) for m in created] == [
        (person, "premium", "effective", acme, Decimal("450.00"))
    ]
    entry = ModelLogEntry.objects.for_instance(created[0]).get(action="cercle.membership.import")
    assert entry.user == staff
    assert entry.data["line"] == 2
    assert set(person.groups.values_list("name", flat=True)) == {roles.MEMBERS, roles.PREMIUM_MEMBERS}


def test_a_renewal_through_import_keeps_the_previous_membership(staff):
    member = make_member("basic", email="known@example.org", username="known@example.org")
    previous = Membership.objects.get(user=member)
    start = previous.valid_until + datetime.timedelta(days=1)
    report = imports.parse_members_csv(HEADER + f"known@example.org,,,adherent,premium,{start},,,300\n")
    [renewal] = imports.apply_import(report, by=staff)

    assert list(Membership.objects.filter(user=member).order_by("valid_from")) == [previous, renewal]
    previous.refresh_from_db()
    assert previous.tier == "basic"  # history untouched
    assert renewal.tier == "premium"
    assert User.objects.filter(email="known@example.org").count() == 1


def test_lines_already_recorded_are_not_imported_twice(staff):
    text = HEADER + "again@example.org,,,,basic,2026-01-01,2026-12-31,,\n"
    imports.apply_import(imports.parse_members_csv(text), by=staff)
    report = imports.parse_members_csv(text)
    assert [row.action for row in report.rows] == [imports.UNCHANGED]
    assert imports.apply_import(report, by=staff) == []
    assert Membership.objects.filter(user__email="again@example.org").count() == 1


def test_a_report_with_errors_is_never_applied(staff):
    report = imports.parse_members_csv(
        HEADER + "good@example.org,,,,basic,2026-01-01,,,\n" + "bad@example.org,,,,gold,2026-01-01,,,\n"
    )
    before = snapshot()
    with pytest.raises(imports.ImportRefused):
        imports.apply_import(report, by=staff)
    assert snapshot() == before


# --- Through the admin ---------------------------------------------------------------------------


def test_uploading_a_file_is_a_dry_run_that_writes_nothing(staff_client, acme):
    before = snapshot()
    response = staff_client.post(
        reverse(IMPORT_URL), {"file": csv_file(HEADER + "new@example.org,Nina,Neuve,,premium,2026-01-01,,Acme SA,\n")}
    )
    assert response.status_code == 200
    assert snapshot() == before
    content = response.content.decode()
    assert "Create the person and their membership" in content
    assert "This was a dry run" in content
    assert response.context["confirm_form"] is not None


def test_the_dry_run_lists_per_line_errors_and_offers_no_confirmation(staff_client):
    response = staff_client.post(
        reverse(IMPORT_URL),
        {"file": csv_file(HEADER + "ok@example.org,,,,basic,2026-01-01,,,\n" + "oops,,,,basic,2026-13-01,,,\n")},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="import-row-3" class="error"' in content
    assert "“oops” is not a valid e-mail address." in content
    assert "“2026-13-01” is not a date" in content
    assert response.context["confirm_form"] is None
    assert "Confirm import" not in content


def test_confirming_applies_exactly_the_checked_file(staff_client, staff, acme):
    text = (
        HEADER
        + "new@example.org,Nina,Neuve,,premium,2026-01-01,,Acme SA,\n"
        + "two@example.org,,,,basic,2026-01-01,,,\n"
    )
    dry_run = staff_client.post(reverse(IMPORT_URL), {"file": csv_file(text)})
    confirm = dry_run.context["confirm_form"].initial
    # The browser sends the hidden text back with CRLF line ends.
    response = staff_client.post(
        reverse(IMPORT_URL),
        {"content": confirm["content"].replace("\n", "\r\n"), "fingerprint": confirm["fingerprint"]},
    )
    assert response.status_code == 302
    assert response.url == reverse("members_memberships:index")
    imported = Membership.objects.filter(user__email__in=["new@example.org", "two@example.org"])
    assert sorted((m.user.email, m.tier) for m in imported) == [
        ("new@example.org", "premium"),
        ("two@example.org", "basic"),
    ]
    assert ModelLogEntry.objects.filter(action="cercle.membership.import", user=staff).count() == 2


def test_a_file_with_an_error_cannot_be_confirmed(staff_client):
    text = HEADER + "ok@example.org,,,,basic,2026-01-01,,,\n" + "bad@example.org,,,,gold,2026-01-01,,,\n"
    report = imports.parse_members_csv(text)
    before = snapshot()
    response = staff_client.post(reverse(IMPORT_URL), {"content": text, "fingerprint": report.fingerprint()})
    assert response.status_code == 400
    assert "Nothing was imported" in response.content.decode()
    assert snapshot() == before


def test_a_confirmation_made_stale_by_a_change_meanwhile_is_shown_again_not_applied(staff_client):
    text = HEADER + "late@example.org,,,,basic,2026-01-01,,,\n"
    fingerprint = imports.parse_members_csv(text).fingerprint()
    UserFactory(email="late@example.org", username="late@example.org")  # someone created the person meanwhile
    before = snapshot()
    response = staff_client.post(reverse(IMPORT_URL), {"content": text, "fingerprint": fingerprint})
    assert response.status_code == 409
    assert snapshot() == before
    assert response.context["report"].rows[0].action == imports.RENEW


def test_a_file_that_is_not_utf8_is_refused_with_a_message(staff_client):
    upload = SimpleUploadedFile(
        "members.csv", (HEADER + "zoé@example.org,Zoé,,,basic,2026-01-01,,,\n").encode("latin-1")
    )
    response = staff_client.post(reverse(IMPORT_URL), {"file": upload})
    assert response.status_code == 400
    assert "The file is not UTF-8 text" in response.content.decode()


def test_a_file_that_is_not_csv_is_refused_with_a_message(staff_client):
    response = staff_client.post(reverse(IMPORT_URL), {"file": csv_file(HEADER, name="members.xlsx")})
    assert response.status_code == 400
    assert "This is not a CSV file" in response.content.decode()


def test_a_file_over_one_megabyte_is_refused_with_a_message(staff_client):
    line = "someone@example.org,,,,basic,2026-01-01,,,\n"
    big = HEADER + line * (imports.MAX_FILE_SIZE // len(line) + 1)
    response = staff_client.post(reverse(IMPORT_URL), {"file": csv_file(big)})
    assert response.status_code == 400
    assert "larger than 1 MB" in response.content.decode()


def test_the_membership_listing_links_to_the_import(staff_client):
    content = staff_client.get(reverse("members_memberships:index")).content.decode()
    assert reverse(IMPORT_URL) in content


def test_a_member_cannot_import(client):
    client.force_login(make_member("premium"))
    before = snapshot()
    response = client.post(reverse(IMPORT_URL), {"file": csv_file(HEADER + "x@example.org,,,,basic,2026-01-01,,,\n")})
    assert response.status_code == 302
    assert snapshot() == before
