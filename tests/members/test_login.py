"""Logging in by e-mail address or username, the error that matches the form, and brute force by address."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from members.forms.auth import LoginForm
from tests.factories.members import PASSWORD, make_member

pytestmark = pytest.mark.django_db


def log_in(client, login, password=PASSWORD):
    return client.post(reverse("login"), {"username": login, "password": password})


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_the_field_asks_for_an_address_or_a_username(client):
    response = client.get(reverse("login"))

    with translation.override("fr"):
        label = gettext("E-mail address or username")
    assert response.status_code == 200
    assert label in response.content.decode()


@pytest.mark.parametrize("typed", ["pierre@cercle.example", "Pierre@Cercle.EXAMPLE", "  PIERRE@cercle.example "])
def test_a_member_logs_in_with_their_address_in_any_case(client, typed):
    member = make_member("premium", username="premium", email="pierre@cercle.example")

    response = log_in(client, typed)

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(member.pk)


@pytest.mark.parametrize("typed", ["premium", "Premium"])
def test_a_member_logs_in_with_their_username(client, typed):
    member = make_member("premium", username="premium", email="pierre@cercle.example")

    response = log_in(client, typed)

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(member.pk)


def test_a_wrong_password_says_address_or_username_never_nom_d_utilisateur(client):
    make_member(username="basic", email="beatrice@cercle.example")

    response = log_in(client, "beatrice@cercle.example", "not-the-password")

    page = response.content.decode()
    with translation.override("fr"):
        message = str(LoginForm.error_messages["invalid_login"])
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [message]
    assert "nom d&#x27;utilisateur" not in page and "nom d'utilisateur" not in page
    assert logged_in_user_id(client) is None


def test_an_unknown_address_gets_the_same_message_as_a_wrong_password(client):
    response = log_in(client, "nobody@cercle.example", "not-the-password")

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [str(LoginForm.error_messages["invalid_login"])]


def test_an_address_shared_by_two_accounts_logs_into_neither(client):
    make_member(username="luc", email="secretariat@mosane.example")
    make_member(username="nadia", email="secretariat@mosane.example")

    response = log_in(client, "Secretariat@Mosane.example")

    assert response.status_code == 400
    assert response.context["form"].errors["username"] == [str(LoginForm.error_messages["shared_address"])]
    assert logged_in_user_id(client) is None


def test_accounts_sharing_an_address_still_log_in_by_username(client):
    make_member(username="luc", email="secretariat@mosane.example")
    nadia = make_member(username="nadia", email="secretariat@mosane.example")

    response = log_in(client, "nadia")

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(nadia.pk)


def test_a_username_that_is_another_accounts_address_logs_into_the_username_owner(client):
    # An invited member's username is their address; another account listing that address as its e-mail
    # must not be reachable by it.
    owner = make_member(username="claire@example.org", email="claire@example.org")
    make_member(username="claire-bis", email="claire@example.org")

    response = log_in(client, "claire@example.org")

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(owner.pk)


def test_the_admin_login_accepts_the_address_too(client):
    staff = make_member("premium", username="admin", email="anne@cercle.example", is_staff=True, is_superuser=True)

    response = client.post(reverse("wagtailadmin_login"), {"username": "Anne@cercle.example", "password": PASSWORD})

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(staff.pk)


# --- Brute force ---------------------------------------------------------------------------------


@pytest.mark.axes
def test_failures_by_address_and_by_username_count_for_the_same_account(client):
    make_member(username="basic", email="beatrice@cercle.example")
    for login in ["basic", "Beatrice@cercle.example", "BASIC", "beatrice@cercle.example", "basic"]:
        log_in(client, login, "wrong-password")

    response = log_in(client, "beatrice@cercle.example")

    assert response.status_code == 429
    assert 'data-testid="locked-out"' in response.content.decode()
    assert logged_in_user_id(client) is None


@pytest.mark.axes
def test_one_address_is_locked_after_twenty_failures_across_accounts(client, settings):
    settings.CERCLE_ADDRESS_FAILURE_LIMIT = 20
    targets = [make_member() for _n in range(20)]
    mine = make_member()
    for target in targets:
        assert log_in(client, target.username, "wrong-password").status_code in (400, 429)

    response = log_in(client, mine.username)

    assert response.status_code == 429
    assert 'data-testid="locked-out"' in response.content.decode()
    assert logged_in_user_id(client) is None


@pytest.mark.axes
def test_one_wrong_password_on_each_of_six_accounts_does_not_lock_the_address(client, settings):
    settings.CERCLE_ADDRESS_FAILURE_LIMIT = 20
    mine = make_member()
    for _n in range(6):
        assert log_in(client, make_member().username, "wrong-password").status_code == 400

    response = log_in(client, mine.username)

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(mine.pk)


@pytest.mark.axes
def test_a_successful_log_in_does_not_wipe_the_failures_against_other_accounts(client, settings):
    settings.CERCLE_ADDRESS_FAILURE_LIMIT = 20
    mine = make_member()
    for _n in range(19):
        log_in(client, make_member().username, "wrong-password")
    assert log_in(client, mine.username).status_code == 302
    client.post(reverse("logout"))

    log_in(client, make_member().username, "wrong-password")
    response = log_in(client, mine.username)

    assert response.status_code == 429
    assert logged_in_user_id(client) is None


@pytest.mark.axes
def test_another_address_is_not_locked_by_the_first(client, settings):
    settings.CERCLE_ADDRESS_FAILURE_LIMIT = 20
    mine = make_member()
    for _n in range(20):
        log_in(
            client,
            make_member().username,
            "wrong-password",
        )

    response = client.post(
        reverse("login"), {"username": mine.username, "password": PASSWORD}, REMOTE_ADDR="192.0.2.44"
    )

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(mine.pk)


@pytest.mark.axes
def test_the_admin_log_in_counts_every_spelling_of_one_account_together(client):
    make_member("premium", username="admin", email="anne@cercle.example", is_staff=True, is_superuser=True)
    for login in ["admin", "Anne@cercle.example", "ADMIN", "anne@CERCLE.example", "Admin"]:
        client.post(reverse("wagtailadmin_login"), {"username": login, "password": "wrong-password"})

    response = client.post(reverse("wagtailadmin_login"), {"username": "anne@cercle.example", "password": PASSWORD})

    assert response.status_code == 429
    assert logged_in_user_id(client) is None
