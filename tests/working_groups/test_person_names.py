"""A person is named the same way everywhere the club shows them: their profile's display name first,
else their full name, else their login (members.services.person_name)."""

import pytest
from django.urls import reverse

from members.models import Profile
from tests.factories.members import make_member, make_staff
from tests.factories.working_groups import MeetingNotePageFactory, make_group

pytestmark = pytest.mark.django_db

DISPLAY_NAME = "Ada la Présidente"


@pytest.fixture
def ada():
    """A member whose display name differs from her full name (Prénom…/Nom…)."""
    user = make_member("premium")
    Profile.objects.filter(user=user).update(display_name=DISPLAY_NAME)
    return user


@pytest.fixture
def group(groups_index, ada):
    return make_group(groups_index, leads=[ada], members=[make_member("basic")])


def page_of(client, viewer, url):
    client.force_login(viewer)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_lead_is_shown_by_display_name_on_the_group_page(client, group, ada):
    html = page_of(client, make_member("basic"), group.url)
    assert DISPLAY_NAME in html
    assert ada.get_full_name() not in html


def test_a_lead_is_shown_by_display_name_on_the_group_index(client, groups_index, group, ada):
    html = page_of(client, make_member("basic"), groups_index.url)
    assert DISPLAY_NAME in html
    assert ada.get_full_name() not in html


def test_an_attendee_is_shown_by_display_name_on_the_meeting_note(client, group, ada):
    note = MeetingNotePageFactory(parent=group)
    note.attendees.add(ada)
    note.save()  # attendees are kept with the page, as the admin's form keeps them
    html = page_of(client, make_member("basic"), note.url)
    assert DISPLAY_NAME in html
    assert ada.get_full_name() not in html


def test_a_member_is_shown_by_display_name_on_the_members_management_page(client, group, ada):
    html = page_of(client, make_staff(), reverse("working_groups:members", args=[group.pk]))
    assert DISPLAY_NAME in html
    assert ada.get_full_name() not in html


def test_a_member_is_shown_by_display_name_in_the_directory(client, ada):
    html = page_of(client, make_member("basic"), reverse("members:directory"))
    assert DISPLAY_NAME in html


def test_the_member_is_greeted_by_display_name_in_the_header(client, ada, home_page):
    html = page_of(client, ada, reverse("members:directory"))
    assert f'<span class="account__name">{DISPLAY_NAME}</span>' in html
