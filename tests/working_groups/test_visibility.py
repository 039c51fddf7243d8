"""Every visibility of a group × every kind of viewer, on every channel: the group's page, its meeting
notes, the index listing, the dashboard and the downloads of its documents (DESIGN.md, the contract)."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from members import roles
from tests.factories.members import make_member, make_staff
from tests.factories.working_groups import MeetingNotePageFactory, make_group

pytestmark = pytest.mark.django_db

TITLE = "Atelier Alpha"
OTHER_TITLE = "Atelier Bêta"
NOTE_TITLE = "Réunion Alpha de printemps"
DOCUMENT_TITLE = "Feuille de route Alpha"
MARKER = "MARQUEUR-CONFIDENTIEL-7731"  # in the note's agenda and in the document's bytes

VISIBILITIES = ["members", "premium", "private"]
KINDS = ["anonymous", "basic", "premium", "expired", "member", "outsider", "lead", "editor", "staff"]

# visibility -> {viewer kind: status of the group page, of its notes and of its documents}; 302 is the
# log-in redirect, 403 the page that explains the premium tier or the renewal, 404 hides the group.
EXPECTED = {
    "members": {
        "anonymous": 302,
        "basic": 200,
        "premium": 200,
        "expired": 403,
        "member": 200,
        "outsider": 200,
        "lead": 200,
        "editor": 200,
        "staff": 200,
    },
    "premium": {
        "anonymous": 302,
        "basic": 403,
        "premium": 200,
        "expired": 403,
        "member": 200,
        "outsider": 200,
        "lead": 200,
        # A basic-tier technology-watch editor is a basic member here: the clusters stay premium.
        "editor": 403,
        "staff": 200,
    },
    "private": {
        "anonymous": 404,
        "basic": 404,
        "premium": 404,
        "expired": 404,
        "member": 200,
        "outsider": 404,
        "lead": 200,
        "editor": 404,
        "staff": 200,
    },
}

# Who may know the group exists: sees it in the index listing and on the dashboard.
KNOWS = {
    "members": {"basic", "premium", "member", "outsider", "lead", "editor", "staff"},
    "premium": {"basic", "premium", "member", "outsider", "lead", "editor", "staff"},
    "private": {"member", "lead", "staff"},
}

# The refusals the 403 page explains.
FORBIDDEN_REASON = {
    ("premium", "basic"): "premium",
    ("premium", "editor"): "premium",
    ("members", "expired"): "renewal",
    ("premium", "expired"): "renewal",
}


def tier_for(visibility):
    """The clusters take premium members only; elsewhere a basic member is the telling case."""
    return "premium" if visibility == "premium" else "basic"


def make_viewer(kind, visibility, group, other_group):
    if kind == "anonymous":
        return None
    if kind == "basic":
        return make_member("basic")
    if kind == "premium":
        return make_member("premium")
    if kind == "expired":
        return make_member("premium", expired=True)
    if kind == "editor":
        return make_member("basic", roles_=[roles.TECHWATCH_EDITORS])
    if kind == "staff":
        return make_staff()
    user = make_member(tier_for(visibility))
    if kind == "member":
        group.memberships.create(user=user, role="member")
    elif kind == "lead":
        group.memberships.create(user=user, role="lead")
    elif kind == "outsider":  # in a group of the same kind, not in this one
        other_group.memberships.create(user=user, role="lead")
    return user


@pytest.fixture
def world(groups_index):
    """One group of each visibility can be built on demand, with a note, a document and a neighbour."""

    def build(visibility):
        founder = make_member(tier_for(visibility))
        group = make_group(
            groups_index,
            title=TITLE,
            visibility=visibility,
            kind="cluster" if visibility == "premium" else "thematic",
            join_policy="invitation" if visibility == "private" else "open",
            leads=[founder],
        )
        other = make_group(
            groups_index,
            title=OTHER_TITLE,
            visibility=visibility,
            kind="cluster" if visibility == "premium" else "thematic",
            join_policy="invitation" if visibility == "private" else "open",
        )
        note = MeetingNotePageFactory(parent=group, title=NOTE_TITLE, agenda=f"<p>{MARKER}</p>")
        group.refresh_from_db()
        document = get_document_model().objects.create(
            title=DOCUMENT_TITLE,
            collection=group.collection,
            file=ContentFile(f"%PDF-1.4 {MARKER}".encode(), name="feuille-de-route.pdf"),
        )
        return group, other, note, document

    return build


def login(client, user):
    if user is not None:
        client.force_login(user)


def body_of(response):
    """The response's text; a download's stream is read once and kept."""
    if not hasattr(response, "_test_body"):
        streamed = getattr(response, "streaming", False)
        content = b"".join(response.streaming_content) if streamed else response.content
        response._test_body = content.decode("utf-8", "replace")
    return response._test_body


def assert_answer(response, visibility, kind):
    expected = EXPECTED[visibility][kind]
    assert response.status_code == expected, f"{visibility} group, {kind} viewer"
    if expected == 302:
        assert "/login" in response["Location"] or "connexion" in response["Location"]
    if expected == 403:
        assert response.context["reason"] == FORBIDDEN_REASON[(visibility, kind)]
    if expected != 200:
        assert MARKER not in body_of(response)


def check_group_page(client, group, visibility, kind):
    response = client.get(group.url)
    assert_answer(response, visibility, kind)
    html = body_of(response)
    if response.status_code == 200:
        assert TITLE in html and DOCUMENT_TITLE in html and NOTE_TITLE in html
    else:
        assert DOCUMENT_TITLE not in html and NOTE_TITLE not in html
    if response.status_code == 404:
        assert TITLE not in html


def check_note_inherits_the_audience_of_its_group(client, note, visibility, kind):
    response = client.get(note.url)
    assert_answer(response, visibility, kind)
    assert (MARKER in body_of(response)) == (response.status_code == 200)


def check_documents_are_downloaded_only_by_the_groups_audience(client, document, visibility, kind):
    response = client.get(document.url)  # the URL alone opens nothing
    assert_answer(response, visibility, kind)
    assert (MARKER in body_of(response)) == (response.status_code == 200)


# The index itself is for members: the log-in page for visitors, the renewal notice for lapsed members.
INDEX_STATUS = {"anonymous": 302, "expired": 403}


def check_index_lists_the_group_only_to_those_who_may_know_it(client, group, index, visibility, kind):
    response = client.get(index.url)
    assert response.status_code == INDEX_STATUS.get(kind, 200)
    html = body_of(response)
    assert (f'data-testid="group-{group.slug}"' in html) == (kind in KNOWS[visibility])
    assert (TITLE in html) == (kind in KNOWS[visibility])
    assert MARKER not in html and NOTE_TITLE not in html


def check_dashboard_mentions_the_group_only_to_those_who_may_know_it(client, home_page, visibility, kind):
    response = client.get(home_page.url)
    assert response.status_code == 200
    html = body_of(response)
    # The dashboard lists content, not groups: it names the group only in its members' "my groups" panel,
    # and never to one who may not know it.
    assert MARKER not in html
    if kind not in KNOWS[visibility]:
        assert TITLE not in html, f"{visibility} group, {kind} viewer"
        assert NOTE_TITLE not in html
    if kind in ("member", "lead"):
        panel = html.split('data-testid="panel-my-groups"')[1].split("</section>")[0]
        assert TITLE in panel and NOTE_TITLE in panel


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_each_viewer_meets_the_group_its_notes_documents_index_and_dashboard_as_the_policy_says(
    client, world, groups_index, home_page, visibility, kind
):
    """Each viewer of each group: its page, a note (which inherits the group's audience), a document, the
    index and the dashboard. One world a viewer and a group, checked five ways (building it is the cost)."""
    group, other, note, document = world(visibility)
    login(client, make_viewer(kind, visibility, group, other))
    check_group_page(client, group, visibility, kind)
    check_note_inherits_the_audience_of_its_group(client, note, visibility, kind)
    check_documents_are_downloaded_only_by_the_groups_audience(client, document, visibility, kind)
    check_index_lists_the_group_only_to_those_who_may_know_it(client, group, groups_index, visibility, kind)
    check_dashboard_mentions_the_group_only_to_those_who_may_know_it(client, home_page, visibility, kind)


def test_basic_member_sees_the_cluster_in_the_index_with_a_premium_badge(client, world, groups_index):
    cluster, _other, _note, _document = world("premium")
    client.force_login(make_member("basic"))
    html = body_of(client.get(groups_index.url))
    card = html.split(f'data-testid="group-{cluster.slug}"')[1].split("</li>")[0]
    assert "badge--premium" in card
    assert "group-card__premium" in card  # the invitation to the premium tier instead of a way in


def test_premium_member_is_not_invited_to_upgrade_in_the_index(client, world, groups_index):
    cluster, _other, _note, _document = world("premium")
    client.force_login(make_member("premium"))
    card = body_of(client.get(groups_index.url)).split(f'data-testid="group-{cluster.slug}"')[1].split("</li>")[0]
    assert "badge--premium" in card
    assert "group-card__premium" not in card


def test_a_former_group_member_whose_membership_ended_is_refused_with_a_renewal_notice(client, world):
    group, _other, note, document = world("members")
    user = make_member("basic", expired=True)
    group.memberships.create(user=user)
    client.force_login(user)
    for url in (group.url, note.url, document.url):
        response = client.get(url)
        assert response.status_code == 403
        assert response.context["reason"] == "renewal"
        assert MARKER not in body_of(response)


def test_leaving_a_private_group_closes_its_pages_and_files(client, world):
    group, _other, note, document = world("private")
    user = make_member("basic")
    membership = group.memberships.create(user=user)
    client.force_login(user)
    assert client.get(note.url).status_code == 200
    membership.delete()
    for url in (group.url, note.url, document.url):
        assert client.get(url).status_code == 404


def test_staff_role_alone_is_what_opens_private_groups(client, world):
    """Wagtail's superuser flag aside, it is the club-staff role that opens every group."""
    group, _other, _note, _document = world("private")
    user = make_member("premium")
    client.force_login(user)
    assert client.get(group.url).status_code == 404
    user.groups.add(Group.objects.get(name=roles.CLUB_STAFF))
    assert client.get(group.url).status_code == 200
