"""A lead publishes in the space of their own group and nowhere else in the admin; demotion takes it back."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtail.models import Collection
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from members import roles
from tests.factories.home import StandardPageFactory
from tests.factories.members import make_member
from tests.factories.working_groups import MeetingNotePageFactory, make_lead
from working_groups import services
from working_groups.models import GroupMembership, MeetingNotePage

pytestmark = pytest.mark.django_db

LEADS_PREFIX = f"{roles.GROUP_LEADS} · "


@pytest.fixture
def lead(group, staff):
    """A basic member promoted to lead of `group` the way the club does it: through the services."""
    return make_lead(group, staff, tier="basic", username="luc.gerard@example.org")


def role_names(user):
    return set(user.groups.values_list("name", flat=True))


def note_form(title, *, day=None, slug=None, **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": slug or title.lower().replace(" ", "-"),
            "meeting_date": (day or datetime.date(2026, 3, 12)).isoformat(),
            "place": "Namur",
            "video_link": "",
            "agenda": rich_text("<p>Tour de table et cadre de gouvernance.</p>"),
            "outcomes": streamfield(
                [
                    ("decision", {"text": "Le groupe adopte la grille d'évaluation."}),
                    (
                        "action_item",
                        {
                            "description": "Diffuser la grille",
                            "owner": "Luc Gérard",
                            "due_date": "2026-04-01",
                            "status": "open",
                        },
                    ),
                ]
            ),
            "attachments": streamfield([]),
            "action-publish": "action-publish",
            **extra,
        }
    )


def add_note_url(parent):
    return f"/admin/pages/add/working_groups/meetingnotepage/{parent.pk}/"


def assert_refused(response, url):
    assert response.status_code in (302, 403), f"{url} answered {response.status_code}"
    if response.status_code == 302:
        assert response["Location"] != url


# --- Promotion gives the rights -------------------------------------------------------------------


def test_promotion_puts_the_lead_in_the_leads_role_and_in_their_groups_own_django_group(lead, group):
    assert role_names(lead) >= {roles.MEMBERS, roles.GROUP_LEADS, f"{LEADS_PREFIX}{group.pk}"}
    assert lead.has_perm("wagtailadmin.access_admin")


def test_adding_someone_directly_as_lead_gives_the_same_rights(group, staff):
    user = make_member("basic")
    services.add_member(group, user, by=staff, role=GroupMembership.Role.LEAD)
    assert role_names(user) >= {roles.GROUP_LEADS, f"{LEADS_PREFIX}{group.pk}"}


def test_a_plain_member_gets_no_admin_rights(group, staff, client):
    user = make_member("basic")
    services.add_member(group, user, by=staff)
    assert not {n for n in role_names(user) if n.startswith(roles.GROUP_LEADS)}
    client.force_login(user)
    assert_refused(client.get("/admin/"), "/admin/")
    assert_refused(client.get(add_note_url(group)), add_note_url(group))


# --- Publishing in their own group --------------------------------------------------------------------


def test_lead_creates_and_publishes_a_meeting_note_in_their_group(client, lead, group):
    client.force_login(lead)
    assert client.get(add_note_url(group)).status_code == 200
    response = client.post(add_note_url(group), note_form("Réunion de mars"))
    assert response.status_code == 302, response.context and response.context["form"].errors
    note = MeetingNotePage.objects.child_of(group).get(slug="réunion-de-mars")
    assert note.live
    assert note.latest_revision.user == lead
    assert [block.block_type for block in note.outcomes] == ["decision", "action_item"]
    client.logout()
    client.force_login(make_member("basic"))
    assert client.get(note.url).status_code == 200


def test_lead_edits_and_publishes_a_note_of_their_group(client, lead, group):
    note = MeetingNotePageFactory(parent=group, title="Réunion de février", slug="reunion-de-fevrier")
    client.force_login(lead)
    url = f"/admin/pages/{note.pk}/edit/"
    assert client.get(url).status_code == 200
    response = client.post(url, note_form("Réunion de février, relue", slug="reunion-de-fevrier"))
    assert response.status_code == 302, response.context and response.context["form"].errors
    note.refresh_from_db()
    assert note.title == "Réunion de février, relue" and note.live and not note.has_unpublished_changes


def test_lead_uploads_documents_into_their_groups_collection_only(client, lead, group, other_group):
    Document = get_document_model()
    client.force_login(lead)
    form = client.get("/admin/documents/add/").context["form"]
    # With a single collection allowed, Wagtail does not even offer the choice.
    assert "collection" not in form.fields or set(form.fields["collection"].queryset) == {group.collection}

    def upload(collection, title):
        return client.post(
            "/admin/documents/add/",
            {
                "title": title,
                "collection": collection.pk,
                "file": SimpleUploadedFile("ordre-du-jour.pdf", b"%PDF-1.4 ordre du jour", "application/pdf"),
                "tags": "",
            },
        )

    assert upload(group.collection, "Ordre du jour").status_code == 302
    assert Document.objects.filter(title="Ordre du jour", collection=group.collection).exists()

    upload(other_group.collection, "Intrus")
    upload(Collection.get_first_root_node(), "Intrus")
    assert not Document.objects.filter(title="Intrus").exclude(collection=group.collection).exists()


def test_a_member_who_leads_nothing_uploads_no_document(client, group, staff):
    user = make_member("basic")
    services.add_member(group, user, by=staff)
    client.force_login(user)
    assert_refused(client.get("/admin/documents/add/"), "/admin/documents/add/")


def test_lead_edits_their_group_page_but_not_who_may_see_it(client, lead, group, staff):
    group.visibility = "private"
    group.save_revision().publish()
    client.force_login(lead)
    url = f"/admin/pages/{group.pk}/edit/"
    form = client.get(url).context["form"]
    assert "visibility" not in form.fields and "join_policy" in form.fields
    data = nested_form_data(
        {
            "title": "Gouvernance IT",
            "slug": group.slug,
            "kind": "thematic",
            "theme": "Gouvernance",
            "purpose": rich_text("<p>Le cadre de gouvernance des DSI.</p>"),
            "visibility": "members",  # ignored: not a field of the lead's form
            "join_policy": "request",
            "action-publish": "action-publish",
        }
    )
    assert client.post(url, data).status_code == 302
    group.refresh_from_db()
    assert (group.visibility, group.join_policy, group.theme) == ("private", "request", "Gouvernance")
    client.force_login(staff)
    assert "visibility" in client.get(url).context["form"].fields


# --- Nowhere else ---------------------------------------------------------------------------------


def test_lead_gets_a_permission_error_in_another_group(client, lead, other_group):
    note = MeetingNotePageFactory(parent=other_group, title="Réunion d'un autre groupe")
    client.force_login(lead)
    for url in (add_note_url(other_group), f"/admin/pages/{note.pk}/edit/", f"/admin/pages/{other_group.pk}/edit/"):
        assert_refused(client.get(url), url)
    response = client.post(add_note_url(other_group), note_form("Réunion intruse"))
    assert_refused(response, add_note_url(other_group))
    response = client.post(f"/admin/pages/{note.pk}/edit/", note_form("Réécrite", slug=note.slug))
    assert_refused(response, f"/admin/pages/{note.pk}/edit/")
    assert not MeetingNotePage.objects.filter(title__in=["Réunion intruse", "Réécrite"]).exists()


def test_lead_gets_a_permission_error_in_every_other_section_of_the_admin(
    client, lead, other_group, groups_index, home_page
):
    section = StandardPageFactory(parent=home_page, title="Le club", slug="le-club")
    stranger_document = get_document_model().objects.create(
        title="Budget du club",
        collection=Collection.get_first_root_node(),
        file=ContentFile(b"%PDF-1.4 budget", name="budget.pdf"),
    )
    client.force_login(lead)
    urls = [
        f"/admin/pages/{section.pk}/edit/",
        f"/admin/pages/add/home/standardpage/{home_page.pk}/",
        f"/admin/pages/{home_page.pk}/edit/",
        f"/admin/pages/{groups_index.pk}/edit/",
        f"/admin/pages/add/working_groups/workinggrouppage/{groups_index.pk}/",
        f"/admin/pages/{other_group.pk}/move/",
        f"/admin/pages/{other_group.pk}/delete/",
        f"/admin/pages/{other_group.pk}/unpublish/",
        f"/admin/documents/edit/{stranger_document.pk}/",
        "/admin/members/memberships/",
        "/admin/members/organisations/",
        "/admin/users/",
        "/admin/groups/",
        "/admin/sites/",
        "/admin/settings/home/clubsettings/",
    ]
    for url in urls:
        assert_refused(client.get(url), url)
    response = client.post(f"/admin/pages/{section.pk}/edit/", {"title": "Piraté", "slug": "le-club"})
    assert_refused(response, f"/admin/pages/{section.pk}/edit/")
    section.refresh_from_db()
    assert section.title == "Le club"


def test_lead_sees_only_their_group_in_the_page_explorer(client, lead, group, other_group, groups_index):
    MeetingNotePageFactory(parent=other_group, title="Réunion d'un autre groupe")
    client.force_login(lead)
    # Wagtail opens the explorer at the lead's own subtree, whatever page was asked for.
    for asked in (groups_index, other_group):
        response = client.get(f"/admin/pages/{asked.pk}/", follow=True)
        assert response.redirect_chain[-1][0] == f"/admin/pages/{group.pk}/"
        html = response.content.decode()
        assert "Marchés publics" not in html and "Réunion d'un autre groupe" not in html


# --- Demotion removes them -----------------------------------------------------------------------


def test_demotion_removes_the_rights_once_a_second_lead_exists(client, lead, group, staff):
    membership = group.memberships.get(user=lead)
    with pytest.raises(services.GroupError):
        services.set_role(membership, GroupMembership.Role.MEMBER, by=staff)
    assert f"{LEADS_PREFIX}{group.pk}" in role_names(lead)

    second = make_member("basic")
    services.add_member(group, second, by=staff, role=GroupMembership.Role.LEAD)
    services.set_role(membership, GroupMembership.Role.MEMBER, by=staff)

    assert not {n for n in role_names(lead) if n.startswith(roles.GROUP_LEADS)}
    assert roles.MEMBERS in role_names(lead)
    client.force_login(lead)
    assert_refused(client.get(add_note_url(group)), add_note_url(group))
    client.post(add_note_url(group), note_form("Réunion après destitution"))
    assert not MeetingNotePage.objects.filter(title="Réunion après destitution").exists()
    # The second lead has the rights now.
    client.force_login(second)
    assert client.get(add_note_url(group)).status_code == 200


def test_a_lead_of_two_groups_demoted_in_one_keeps_the_other(lead, group, other_group, staff):
    services.add_member(other_group, lead, by=staff, role=GroupMembership.Role.LEAD)
    services.add_member(group, make_member("basic"), by=staff, role=GroupMembership.Role.LEAD)
    services.set_role(group.memberships.get(user=lead), GroupMembership.Role.MEMBER, by=staff)
    names = role_names(lead)
    assert f"{LEADS_PREFIX}{group.pk}" not in names
    assert {f"{LEADS_PREFIX}{other_group.pk}", roles.GROUP_LEADS} <= names


def test_removing_a_lead_from_the_group_removes_the_rights(lead, group, staff):
    services.add_member(group, make_member("basic"), by=staff, role=GroupMembership.Role.LEAD)
    services.remove_member(group.memberships.get(user=lead), by=staff)
    assert not {n for n in role_names(lead) if n.startswith(roles.GROUP_LEADS)}


def test_lead_may_not_delete_unpublish_or_move_their_groups_page(client, lead, group, groups_index):
    from working_groups.models import WorkingGroupPage

    client.force_login(lead)
    client.post(f"/admin/pages/{group.pk}/delete/")
    client.post(f"/admin/pages/{group.pk}/unpublish/")
    client.post(f"/admin/pages/{group.pk}/move/{groups_index.pk}/confirm/")
    group = WorkingGroupPage.objects.get(pk=group.pk)
    assert group.live
    assert group.get_parent().pk == groups_index.pk
