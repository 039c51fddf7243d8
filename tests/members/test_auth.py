"""The account journey: log in, log out, forgotten and changed passwords, brute-force protection."""

import re
from urllib.parse import quote

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext

from tests.factories.members import PASSWORD, CharterFactory, make_member

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Orchidée-Sur-Le-Toit-1987"


def log_in(client, username, password, next_url=None):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


# --- Log in and out ------------------------------------------------------------------------------


def test_member_logs_in_with_their_address_and_goes_where_they_meant(client):
    member = make_member()

    response = log_in(client, member.username, PASSWORD, next_url="/evenements/")

    assert response.status_code == 302
    assert response.url == "/evenements/"
    assert logged_in_user_id(client) == str(member.pk)


def test_member_without_a_destination_lands_on_the_home_page(client):
    member = make_member()

    response = log_in(client, member.username, PASSWORD)

    assert response.url == "/"


def test_the_address_may_be_typed_in_another_case(client):
    member = make_member(username="claire.dumont@example.org")

    response = log_in(client, "  Claire.Dumont@Example.ORG ", PASSWORD)

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(member.pk)


def test_an_outside_destination_is_ignored(client):
    member = make_member()

    response = log_in(client, member.username, PASSWORD, next_url="https://evil.example/")

    assert response.url == "/"


def test_session_key_rotates_on_login(client):
    member = make_member()
    client.get(reverse("login"))
    session = client.session
    session["before"] = True
    session.save()
    key_before = session.session_key

    log_in(client, member.username, PASSWORD)

    assert client.session.session_key != key_before
    assert logged_in_user_id(client) == str(member.pk)


def test_member_who_has_not_signed_the_current_charter_reads_it_first(client):
    CharterFactory()
    member = make_member(signed=False)

    response = log_in(client, member.username, PASSWORD, next_url="/evenements/")

    assert response.status_code == 302
    assert response.url == reverse("members:charter") + "?next=" + quote("/evenements/", safe="")
    assert logged_in_user_id(client) == str(member.pk)


def test_wrong_password_is_refused_and_the_address_is_kept(client):
    member = make_member()

    response = log_in(client, member.username, "not-the-password")

    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert f'value="{member.username}"' in response.content.decode()
    assert logged_in_user_id(client) is None


def test_someone_logged_in_who_opens_the_login_page_is_sent_on(client):
    client.force_login(make_member())

    response = client.get(reverse("login"))

    assert response.status_code == 302
    assert response.url == "/"


def test_logging_out_takes_a_post(client):
    client.force_login(make_member())

    assert client.get(reverse("logout")).status_code == 405
    assert logged_in_user_id(client) is not None
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert logged_in_user_id(client) is None


# --- Forgotten password --------------------------------------------------------------------------


def reset_link_path(email):
    match = re.search(r"https?://[^/\s]+(/\S+/)", email.body)
    assert match, email.body
    return match.group(1)


def ask_for_a_reset_link(client, address):
    return client.post(reverse("password_reset"), {"email": address})


def choose_new_password(client, link_path, password=NEW_PASSWORD):
    form_page = client.get(link_path, follow=True)
    set_password_path = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link_path
    return client.post(set_password_path, {"new_password1": password, "new_password2": password})


def test_password_reset_email_is_sent_and_its_link_sets_a_new_password(client):
    member = make_member(username="claire@example.org")

    response = ask_for_a_reset_link(client, "claire@example.org")

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["claire@example.org"]
    with translation.override("fr"):
        assert email.subject == gettext("Choose a new password for the club's members' area")
    assert email.body.count("http://127.0.0.1:8000/") == 1

    done = choose_new_password(client, reset_link_path(email))

    assert done.status_code == 302
    assert done.url == reverse("password_reset_complete")
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert log_in(client, "claire@example.org", NEW_PASSWORD).status_code == 302


def test_asking_a_reset_for_an_unknown_address_reveals_nothing(client):
    response = ask_for_a_reset_link(client, "nobody@example.org")

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_used_reset_link_is_refused_politely(client):
    make_member(username="claire@example.org")
    ask_for_a_reset_link(client, "claire@example.org")
    link_path = reset_link_path(mail.outbox[0])
    choose_new_password(client, link_path)

    response = client.get(link_path, follow=True)

    assert response.status_code == 410
    assert response.context["validlink"] is False
    assert 'data-testid="password-reset-invalid"' in response.content.decode()
    assert reverse("password_reset") in response.content.decode()


def test_a_forged_reset_link_is_refused_like_a_used_one(client):
    response = client.get(reverse("password_reset_confirm", kwargs={"uidb64": "zzz", "token": "set-password"}))

    assert response.status_code == 410
    assert response.context["validlink"] is False
    assert 'data-testid="password-reset-invalid"' in response.content.decode()


def test_a_reset_link_does_not_tell_whether_an_account_id_exists(client):
    member = make_member()
    missing_id = member.pk + 1000

    def answer(user_id):
        uidb64 = urlsafe_base64_encode(force_bytes(user_id))
        url = reverse("password_reset_confirm", kwargs={"uidb64": uidb64, "token": "cvd1ab-0123456789abcdef"})
        response = client.get(url, follow=True)
        return response.status_code, response.content.decode().replace(uidb64, "UID")

    assert answer(member.pk) == answer(missing_id)
    assert answer(member.pk)[0] == 410


def test_a_weak_new_password_is_refused(client):
    make_member(username="claire@example.org")
    ask_for_a_reset_link(client, "claire@example.org")

    response = choose_new_password(client, reset_link_path(mail.outbox[0]), password="12345678")

    assert response.status_code == 400
    assert response.context["form"].errors


# --- Changing one's password ---------------------------------------------------------------------


def test_a_member_changes_their_password_and_stays_logged_in(client):
    member = make_member()
    client.force_login(member)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert logged_in_user_id(client) == str(member.pk)
    assert client.get(reverse("password_change_done")).status_code == 200


def test_changing_the_password_needs_the_old_one(client):
    member = make_member()
    client.force_login(member)

    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 400
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_changing_the_password_needs_to_be_logged_in(client):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- Brute force ---------------------------------------------------------------------------------


@pytest.mark.axes
def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client):
    member = make_member()
    for _attempt in range(5):
        log_in(client, member.username, "wrong-password")

    response = log_in(client, member.username, PASSWORD)

    assert response.status_code == 429
    assert "registration/locked_out.html" in [template.name for template in response.templates]
    assert 'data-testid="locked-out"' in response.content.decode()
    assert reverse("password_reset") in response.content.decode()
    assert logged_in_user_id(client) is None


@pytest.mark.axes
def test_four_wrong_passwords_do_not_lock_the_account(client):
    member = make_member()
    for _attempt in range(4):
        assert log_in(client, member.username, "wrong-password").status_code == 400

    response = log_in(client, member.username, PASSWORD)

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(member.pk)


@pytest.mark.axes
def test_choosing_a_new_password_lifts_the_lock(client):
    member = make_member(username="claire@example.org")
    for _attempt in range(5):
        log_in(client, member.username, "wrong-password")
    assert log_in(client, member.username, PASSWORD).status_code == 429

    ask_for_a_reset_link(client, "claire@example.org")
    choose_new_password(client, reset_link_path(mail.outbox[0]))
    response = log_in(client, member.username, NEW_PASSWORD)

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(member.pk)
