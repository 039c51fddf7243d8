"""The digest's unsubscribe link: opening it changes nothing, a POST acts, the page names nobody."""

import datetime

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.utils import timezone

from knowledge.digest import UNSUBSCRIBE_LINK_AGE, unsubscribe_token
from members.models import Profile
from tests.factories.members import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscriber(home_page):
    user = make_member("premium", email="pierre.lemaire@mosane.example")
    Profile.objects.filter(user=user).update(notify_digest=True)
    return user


def link(user):
    return f"/lettre-veille/desabonnement/{unsubscribe_token(user)}/"


def subscribed(user):
    return Profile.objects.get(user=user).notify_digest


def test_opening_the_link_shows_one_button_and_changes_nothing(client, subscriber):
    response = client.get(link(subscriber))

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["state"] == "confirm"
    assert page.count('data-testid="digest-unsubscribe-confirm"') == 1
    assert 'method="post"' in page
    assert subscribed(subscriber) is True


def test_a_mail_scanner_opening_the_link_twice_changes_nothing(client, subscriber):
    client.get(link(subscriber))
    client.head(link(subscriber))

    assert subscribed(subscriber) is True


def test_the_button_unsubscribes(subscriber):
    client = Client(enforce_csrf_checks=True)  # the page carries no CSRF token: the signed link is enough

    response = client.post(link(subscriber), {"action": "unsubscribe"})

    assert response.status_code == 200
    assert response.context["state"] == "unsubscribed"
    assert subscribed(subscriber) is False


def test_the_mail_clients_one_click_post_unsubscribes(subscriber):
    # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" to the List-Unsubscribe address.
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        link(subscriber), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert subscribed(subscriber) is False


def test_opening_the_link_of_someone_already_unsubscribed_says_so(client, subscriber):
    Profile.objects.filter(user=subscriber).update(notify_digest=False)

    response = client.get(link(subscriber))

    assert response.context["state"] == "unsubscribed"
    assert subscribed(subscriber) is False


def test_no_page_of_the_link_shows_the_members_address_or_name(client, subscriber):
    pages = [
        client.get(link(subscriber)),
        client.post(link(subscriber), {"action": "unsubscribe"}),
    ]
    pages.append(Client().get(link(subscriber)))  # opened again once unsubscribed

    for response in pages:
        page = response.content.decode()
        assert "pierre.lemaire@mosane.example" not in page
        assert "mosane.example" not in page
        assert subscriber.last_name not in page


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_link_gets_a_polite_400_and_changes_nothing(client, subscriber, method):
    token = unsubscribe_token(subscriber)
    forged = [token[:-3] + "abc", signing.dumps(subscriber.pk), "n-importe-quoi"]

    for bad in forged:
        response = getattr(client, method)(f"/lettre-veille/desabonnement/{bad}/")
        assert response.status_code == 400
        assert response.context["state"] == "invalid"
        assert 'data-testid="digest-unsubscribe"' in response.content.decode()
    assert subscribed(subscriber) is True


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_expired_link_gets_a_polite_410_pointing_to_the_profile(client, subscriber, method):
    url = link(subscriber)

    with time_machine.travel(timezone.now() + UNSUBSCRIBE_LINK_AGE + datetime.timedelta(days=1)):
        response = getattr(client, method)(url)

    page = response.content.decode()
    assert response.status_code == 410
    assert response.context["state"] == "expired"
    assert "/compte/profil/" in page
    assert "no-store" in response["Cache-Control"]
    assert subscribed(subscriber) is True


def test_a_link_just_under_two_months_old_still_works(client, subscriber):
    url = link(subscriber)

    with time_machine.travel(timezone.now() + UNSUBSCRIBE_LINK_AGE - datetime.timedelta(hours=1)):
        response = client.post(url, {"action": "unsubscribe"})

    assert response.status_code == 200
    assert subscribed(subscriber) is False
