"""Password-reset e-mails are limited per address and per client, with the same answer for members and
strangers (members/views/auth.py)."""

import pytest
from django.core import mail
from django.test import Client

from tests.factories.members import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def reset_url():
    from django.urls import reverse

    return reverse("password_reset")


def ask(client, url, address):
    return client.post(url, {"email": address})


def test_an_address_gets_three_emails_an_hour_then_a_polite_429(home_page, reset_url, settings):
    settings.CERCLE_PASSWORD_RESET_PER_ADDRESS = 3
    member = make_member("basic", email="claire@example.org")
    client = Client(HTTP_HOST="localhost")
    for _ in range(3):
        assert ask(client, reset_url, member.email).status_code == 302
    assert len(mail.outbox) == 3
    refused = ask(client, reset_url, "CLAIRE@example.org ")
    assert refused.status_code == 429
    assert "réessayez dans une heure" in refused.content.decode() or "try again in an hour" in refused.content.decode()
    assert len(mail.outbox) == 3


def test_the_refusal_is_the_same_for_a_stranger(home_page, reset_url, settings):
    settings.CERCLE_PASSWORD_RESET_PER_ADDRESS = 1
    client = Client(HTTP_HOST="localhost")
    assert ask(client, reset_url, "nobody@example.org").status_code == 302
    assert ask(client, reset_url, "nobody@example.org").status_code == 429
    assert mail.outbox == []


def test_one_client_cannot_flood_many_addresses(home_page, reset_url, settings):
    settings.CERCLE_PASSWORD_RESET_PER_CLIENT = 2
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR="192.0.2.7")
    assert ask(client, reset_url, "a@example.org").status_code == 302
    assert ask(client, reset_url, "b@example.org").status_code == 302
    assert ask(client, reset_url, "c@example.org").status_code == 429
    other = Client(HTTP_HOST="localhost", REMOTE_ADDR="192.0.2.8")
    assert ask(other, reset_url, "c@example.org").status_code == 302


def test_a_malformed_address_is_a_400_not_a_count(home_page, reset_url, settings):
    settings.CERCLE_PASSWORD_RESET_PER_CLIENT = 1
    client = Client(HTTP_HOST="localhost")
    assert ask(client, reset_url, "not an address").status_code == 400
    assert ask(client, reset_url, "ok@example.org").status_code == 302
