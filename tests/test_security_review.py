"""Security review of issue 9's additions (reviewer R1): each test failed before its fix."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupApprovalTask, TaskState, Workflow, WorkflowTask

from knowledge.models import TechWatchIndexPage
from members import roles
from members.forms.auth import LoginForm
from tests.factories.members import PASSWORD, make_member
from tests.working_groups import test_admin_privacy as admin_privacy

pytestmark = pytest.mark.django_db

# The private group with its note and minutes, and each kind of admin user, as the admin privacy tests make them.
MARKER = admin_privacy.MARKER
_private_media = admin_privacy._private_media
staff, board, other_group, people = (
    admin_privacy.staff,
    admin_privacy.board,
    admin_privacy.other_group,
    admin_privacy.people,
)


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
def moderation(board, people):
    """The board's note and the watch both wait for the same approval task, which the editors answer: an
    editor acts on the watch, and may not know of the note."""
    _group, note, _minutes = board
    watch = TechWatchIndexPage.objects.get()
    task = GroupApprovalTask.objects.create(name="Relecture")
    task.groups.add(Group.objects.get(name=roles.TECHWATCH_EDITORS))
    workflow = Workflow.objects.create(name="Relecture")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    states = {}
    for page in (watch, note):
        page.save_revision(user=people["staff"])
        states[page.pk] = workflow.start(page, people["staff"]).current_task_state
    return watch, note, states


def test_an_outsider_cannot_act_on_a_private_pages_task_through_a_page_they_know(client, people, moderation):
    known, note, states = moderation
    client.force_login(people["editor"])
    # Requesting changes publishes nothing, so no page permission stops it further on.
    url = reverse("wagtailadmin_pages:workflow_action", args=[known.pk, "reject", states[note.pk].pk])

    response = client.post(url, {"comment": "Non"})

    states[note.pk].refresh_from_db()
    assert states[note.pk].status == TaskState.STATUS_IN_PROGRESS
    assert response.status_code == 404
    assert MARKER not in response.content.decode()


def test_the_editor_still_approves_the_page_they_know(client, people, moderation):
    known, _note, states = moderation
    client.force_login(people["editor"])
    url = reverse("wagtailadmin_pages:workflow_action", args=[known.pk, "approve", states[known.pk].pk])

    response = client.post(url, {"comment": ""})

    assert response.status_code < 400
    states[known.pk].refresh_from_db()
    assert states[known.pk].status == TaskState.STATUS_APPROVED
