""" "Mes données": a person downloads everything Cercle holds about them, in one zip archive."""

import csv
import datetime
import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from wagtail.models import ModelLogEntry

from members import personal_data, services
from members.personal_data import csv_cell
from members.privacy_services import EXPORT_ACTION
from members.views.my_data import archive_filename
from tests.factories.members import (
    InvitationFactory,
    MembershipFactory,
    MembershipRequestFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    UserFactory,
    make_member,
    make_staff,
)
from tests.factories.working_groups import MeetingNotePageFactory, make_group
from working_groups.models import ClusterInterest

pytestmark = pytest.mark.django_db

MY_DATA = reverse("members:my_data")
MEMBERS_PARTS = {
    "account",
    "profile",
    "memberships",
    "charter_signatures",
    "invitations",
    "membership_requests",
    "feed_token",
    "pages",
}
GROUPS_PARTS = {"group_memberships", "cluster_interests", "meeting_attendance"}


def archive_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))


def part(archive, name):
    rows = json.loads(archive.read(f"{name}.json"))
    table = list(csv.DictReader(io.StringIO(archive.read(f"{name}.csv").decode("utf-8-sig"))))
    return rows, table


@pytest.fixture
def rich_member(groups_index):
    """A member with something in every part: an organisation seat, a request, invitations, groups, notes."""
    organisation = OrganisationFactory(name="Brasserie Lupulus")
    OrganisationMembershipFactory(organisation=organisation, tier="premium")
    user = make_member("basic", first_name="Hélène", last_name="Dubois", username="helene@example.org")
    profile = user.profile
    profile.organisation = organisation
    profile.bio = "DSI passionnée"
    profile.languages = ["fr", "nl"]
    profile.show_bio = True
    profile.expertise.add("cloud", "sécurité")
    profile.save()
    services.feed_token_for(user)
    InvitationFactory(invited_by=user, email="ami@example.org", message="Rejoins-nous")
    InvitationFactory(email=user.email, accepted_by=user, state="accepted")
    MembershipRequestFactory(user=user)
    group = make_group(groups_index, title="Cloud souverain", members=[user])
    cluster = make_group(groups_index, kind="cluster", visibility="premium", title="Sécurité")
    ClusterInterest.objects.create(profile=profile, cluster=cluster)
    note = MeetingNotePageFactory(parent=group, title="Réunion de mars")
    note.attendees.add(user)
    note.save()
    return user


def test_anonymous_visitor_is_sent_to_log_in(client):
    for method in (client.get, client.post):
        response = method(MY_DATA)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def test_page_explains_what_is_kept_and_is_not_cached(client):
    client.force_login(make_member())
    response = client.get(MY_DATA)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    for label in [str(p.label) for p in personal_data.registered_parts()]:
        assert escape(label) in response.content.decode()
    assert b'data-testid="my-data-download"' in response.content


def test_profile_page_links_to_my_data(client):
    client.force_login(make_member())
    assert MY_DATA.encode() in client.get(reverse("members:profile")).content


def test_archive_holds_every_part_as_json_and_csv_and_a_readme(client, rich_member):
    client.force_login(rich_member)
    response = client.post(MY_DATA)
    assert response["Content-Disposition"] == f'attachment; filename="{archive_filename()}"'
    assert "no-store" in response["Cache-Control"]
    archive = archive_of(response)
    names = set(archive.namelist())
    for name in [p.name for p in personal_data.registered_parts()]:
        assert {f"{name}.json", f"{name}.csv"} <= names
    assert MEMBERS_PARTS | GROUPS_PARTS <= {p.name for p in personal_data.registered_parts()}
    readme = archive.read("README.txt").decode()
    assert "Mes données" in readme and "My data" in readme


def test_archive_contents(client, rich_member):
    client.force_login(rich_member)
    archive = archive_of(client.post(MY_DATA))

    account, _ = part(archive, "account")
    assert account[0]["email"] == "helene@example.org"
    assert account[0]["first_name"] == "Hélène"
    assert account[0]["date_joined"]

    profile, _ = part(archive, "profile")
    assert profile[0]["organisation"] == "Brasserie Lupulus"
    assert profile[0]["expertise"] == ["cloud", "sécurité"]
    assert profile[0]["languages"] == ["fr", "nl"]
    assert profile[0]["show_bio"] is True and profile[0]["show_phone"] is False
    assert profile[0]["notify_digest"] is True

    memberships, _ = part(archive, "memberships")
    assert {m["kind"] for m in memberships} == {"own", "organisation"}

    signatures, _ = part(archive, "charter_signatures")
    assert len(signatures) == 1

    invitations, _ = part(archive, "invitations")
    assert {(i["direction"], i["email"]) for i in invitations} == {
        ("sent", "ami@example.org"),
        ("received", "helene@example.org"),
    }

    requests, _ = part(archive, "membership_requests")
    assert requests[0]["message"] == "Je souhaite renouveler."

    groups, _ = part(archive, "group_memberships")
    assert [g["group"] for g in groups] == ["Cloud souverain"]
    clusters, _ = part(archive, "cluster_interests")
    assert clusters == [{"cluster": "Sécurité"}]
    meetings, _ = part(archive, "meeting_attendance")
    assert meetings[0]["meeting"] == "Réunion de mars" and meetings[0]["group"] == "Cloud souverain"


def test_feed_token_is_described_never_given(client, rich_member):
    secret = services.feed_token_for(rich_member)
    client.force_login(rich_member)
    archive = archive_of(client.post(MY_DATA))
    feed, _ = part(archive, "feed_token")
    assert feed[0]["has_feed_token"] is True
    for name in archive.namelist():
        assert secret.encode() not in archive.read(name)


def test_another_members_data_is_absent(client, rich_member, groups_index):
    other = make_member(first_name="Zoltan", last_name="Autremembre", username="zoltan@example.org")
    other.profile.bio = "Secret de Zoltan"
    other.profile.save()
    MembershipRequestFactory(user=other, message="Demande de Zoltan")
    InvitationFactory(invited_by=other, email="invite-de-zoltan@example.org")
    client.force_login(rich_member)
    archive = archive_of(client.post(MY_DATA))
    for name in archive.namelist():
        content = archive.read(name).decode("utf-8-sig", errors="replace")
        for needle in ("Zoltan", "zoltan@example.org", "invite-de-zoltan"):
            assert needle not in content, (name, needle)


def test_csv_and_json_agree(client, rich_member):
    client.force_login(rich_member)
    archive = archive_of(client.post(MY_DATA))
    for name in [p.name for p in personal_data.registered_parts()]:
        rows, table = part(archive, name)
        assert len(rows) == len(table), name
        for row, line in zip(rows, table, strict=True):
            assert {key: csv_cell(value) for key, value in row.items()} == {key: line[key] for key in row}, name


def test_empty_part_still_has_its_csv_header(client):
    client.force_login(make_member())
    archive = archive_of(client.post(MY_DATA))
    header = archive.read("membership_requests.csv").decode("utf-8-sig").splitlines()[0]
    assert header.startswith("kind,tier,message")
    assert json.loads(archive.read("membership_requests.json")) == []


def test_expired_member_can_download(client):
    user = make_member(expired=True)
    client.force_login(user)
    assert client.get(MY_DATA).status_code == 200
    memberships, _ = part(archive_of(client.post(MY_DATA)), "memberships")
    assert len(memberships) == 1


def test_account_without_profile_or_membership_can_download(client):
    user = UserFactory()
    client.force_login(user)
    archive = archive_of(client.post(MY_DATA))
    assert json.loads(archive.read("profile.json")) == []


def test_staff_download_their_own_data_only(client, rich_member):
    staff = make_staff()
    client.force_login(staff)
    archive = archive_of(client.post(MY_DATA))
    assert b"helene@example.org" not in archive.read("account.json")


def test_photo_is_in_the_archive(client, settings, tmp_path):
    from tests.members.test_profile import image_upload

    settings.MEDIA_ROOT = tmp_path
    user = make_member()
    client.force_login(user)
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    image = get_image_model()(
        title="photo", file=image_upload(), collection=Collection.get_first_root_node(), uploaded_by_user=user
    )
    image._set_image_file_metadata()
    image.save()
    user.profile.photo = image
    user.profile.save()
    archive = archive_of(client.post(MY_DATA))
    photos = [name for name in archive.namelist() if name.startswith("photo/")]
    assert len(photos) == 1
    assert archive.read(photos[0])[:4] == b"\x89PNG"


def test_download_is_audit_logged(client, rich_member):
    client.force_login(rich_member)
    client.post(MY_DATA)
    entry = ModelLogEntry.objects.filter(action=EXPORT_ACTION, user=rich_member).get()
    assert "profile" in entry.data["parts"]


def test_bad_method_is_refused(client):
    client.force_login(make_member())
    assert client.put(MY_DATA).status_code == 405


def _queries_per_part(user):
    counts = {}
    for p in personal_data.registered_parts():
        with CaptureQueriesContext(connection) as queries:
            p.export(user)
        counts[p.name] = len(queries)
    return counts


def test_each_part_costs_a_fixed_number_of_queries(rich_member, groups_index):
    few = _queries_per_part(rich_member)
    # Much more of everything.
    profile = rich_member.profile
    for n in range(5):
        MembershipFactory(
            user=rich_member,
            valid_from=datetime.date(2010 + n, 1, 1),
            valid_until=datetime.date(2010 + n, 12, 31),
        )
        OrganisationMembershipFactory(
            organisation=profile.organisation,
            valid_from=datetime.date(2010 + n, 1, 1),
            valid_until=datetime.date(2010 + n, 12, 31),
        )
        InvitationFactory(invited_by=rich_member)
        MembershipRequestFactory(user=rich_member, state="handled")
        group = make_group(groups_index, members=[rich_member])
        note = MeetingNotePageFactory(parent=group)
        note.attendees.add(rich_member)
        note.save()
        cluster = make_group(groups_index, kind="cluster", visibility="premium")
        ClusterInterest.objects.create(profile=profile, cluster=cluster)
        profile.expertise.add(f"domaine {n}")
    profile.save()
    many = _queries_per_part(rich_member)
    assert many == few
