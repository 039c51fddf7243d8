"""Security review of issue 9's additions (reviewer R1): each test failed before its fix."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupApprovalTask, TaskState, Workflow, WorkflowTask

from knowledge.models import TechWatchIndexPage
from members import roles
from members.forms.auth import LoginForm
from tests.factories.knowledge import TechWatchIndexPageFactory
from tests.factories.members import PASSWORD, make_member, make_staff
from tests.factories.working_groups import MeetingNotePageFactory, make_group

pytestmark = pytest.mark.django_db

MARKER = "Zephyr"  # in the private titles; no admin page echoes it from a search box


@pytest.fixture
def staff():
    return make_staff()


@pytest.fixture
def note(groups_index):
    """A note of a private group, named with the marker."""
    group = make_group(groups_index, visibility="private", join_policy="invitation", title=f"Conseil {MARKER}")
    group.refresh_from_db()
    return MeetingNotePageFactory(parent=group, title=f"Admissions {MARKER}")


@pytest.fixture
def editor(home_page):
    """An editor of the watch, who may not know of the private group."""
    TechWatchIndexPageFactory(parent=home_page)
    return make_member("premium", roles_=[roles.TECHWATCH_EDITORS])


# --- An address shared by two accounts ---------------------------------------------------------------


def log_in(client, login, password=PASSWORD):
    return client.post(reverse("login"), {"username": login, "password": password})


@pytest.fixture
def shared_address():
    make_member(username="luc", email="secretariat@mosane.example")
    make_member(username="nadia", email="secretariat@mosane.example")
    return "secretariat@mosane.example"


def test_a_shared_address_with_a_wrong_password_answers_as_an_unknown_address(client, shared_address):
    # Without the password, nobody learns that an address belongs to the club's accounts, shared or not.
    shared = log_in(client, shared_address, "not-the-password")
    unknown = log_in(client, "nobody@mosane.example", "not-the-password")

    assert shared.status_code == unknown.status_code == 400
    assert shared.context["form"].errors == unknown.context["form"].errors
    assert str(LoginForm.error_messages["shared_address"]) not in shared.content.decode()


def test_a_shared_address_with_one_of_its_passwords_says_to_use_the_username(client, shared_address):
    response = log_in(client, shared_address.upper())

    assert response.status_code == 400
    assert response.context["form"].errors["username"] == [str(LoginForm.error_messages["shared_address"])]
    assert client.session.get("_auth_user_id") is None


@pytest.mark.axes
def test_guesses_on_a_shared_address_count_towards_the_lock_out(client, shared_address, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, shared_address, "not-the-password")

    locked = log_in(client, shared_address)

    assert locked.status_code == 429
    assert str(LoginForm.error_messages["shared_address"]) not in locked.content.decode()


# --- A workflow action names its page twice: in the URL and by its task state ----------------------------


@pytest.fixture
def moderation(note, editor, staff):
    """The private note and the watch both wait for the same approval task, which the editors answer: an
    editor acts on the watch, and may not know of the note."""
    watch = TechWatchIndexPage.objects.get()
    task = GroupApprovalTask.objects.create(name="Relecture")
    task.groups.add(Group.objects.get(name=roles.TECHWATCH_EDITORS))
    workflow = Workflow.objects.create(name="Relecture")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    states = {}
    for page in (watch, note):
        page.save_revision(user=staff)
        states[page.pk] = workflow.start(page, staff).current_task_state
    return watch, note, states


def test_an_outsider_cannot_act_on_a_private_pages_task_through_a_page_they_know(client, editor, moderation):
    known, note, states = moderation
    client.force_login(editor)
    # Requesting changes publishes nothing, so no page permission stops it further on.
    url = reverse("wagtailadmin_pages:workflow_action", args=[known.pk, "reject", states[note.pk].pk])

    response = client.post(url, {"comment": "Non"})

    states[note.pk].refresh_from_db()
    assert states[note.pk].status == TaskState.STATUS_IN_PROGRESS
    assert response.status_code == 404
    assert MARKER not in response.content.decode()


def test_the_editor_still_approves_the_page_they_know(client, editor, moderation):
    known, _note, states = moderation
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:workflow_action", args=[known.pk, "approve", states[known.pk].pk])

    response = client.post(url, {"comment": ""})

    assert response.status_code < 400
    states[known.pk].refresh_from_db()
    assert states[known.pk].status == TaskState.STATUS_APPROVED


def test_an_outsider_reviewer_finds_no_private_page_awaiting_their_review_on_the_dashboard(client, editor, moderation):
    known, _note, _states = moderation
    client.force_login(editor)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert known.title in html  # the panel lists what the editor may review
    assert MARKER not in html


def test_staff_find_the_private_page_awaiting_review_on_the_dashboard(client, staff, moderation):
    _known, note, _states = moderation
    Group.objects.get(name=roles.TECHWATCH_EDITORS).user_set.add(staff)
    client.force_login(staff)

    assert note.title in client.get(reverse("wagtailadmin_home")).content.decode()
