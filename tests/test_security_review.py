"""Security review of issue 9's additions (reviewer R1): each test failed before its fix."""

import pytest
from django.urls import reverse

from members.forms.auth import LoginForm
from tests.factories.members import PASSWORD, make_member

pytestmark = pytest.mark.django_db


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
