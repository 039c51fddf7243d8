"""The event page and the register/cancel views, for each kind of viewer."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Registration
from tests.factories.events import BODY_MARKER, ONLINE_URL, EventSpeakerFactory, make_event
from tests.factories.members import UserFactory, make_member
from tests.factories.working_groups import make_group

State = Registration.State


def register_url(event):
    return reverse("events:register", kwargs={"event_id": event.pk})


def cancel_url(event):
    return reverse("events:cancel", kwargs={"event_id": event.pk})


@pytest.fixture
def premium_event(agenda):
    event = make_event(agenda, audience="premium", title="Dîner des DSI", online_url=ONLINE_URL, capacity=10)
    EventSpeakerFactory(page=event, name="Claire Dumont")
    return event


# --- The page -----------------------------------------------------------------------------------


def test_a_premium_member_sees_everything_and_the_register_button(client, viewers, premium_event):
    client.force_login(viewers["premium"])
    response = client.get(premium_event.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert BODY_MARKER in html and "Claire Dumont" in html and "Palais des Congrès" in html
    assert 'data-testid="register-form"' in html
    assert 'data-testid="seats-left"' in html
    assert ONLINE_URL not in html  # only once registered


def test_a_basic_member_sees_the_teaser_of_a_premium_event_and_an_invitation_to_upgrade(client, viewers, premium_event):
    client.force_login(viewers["basic"])
    response = client.get(premium_event.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert premium_event.summary in html and 'data-testid="event-kind"' in html and 'data-testid="event-when"' in html
    assert 'data-testid="upgrade-box"' in html
    for secret in (BODY_MARKER, "Claire Dumont", "Palais des Congrès", ONLINE_URL, 'data-testid="register-form"'):
        assert secret not in html


def test_a_registered_participant_sees_the_online_link_and_may_cancel(client, viewers, premium_event):
    services.register(premium_event, viewers["premium"])
    client.force_login(viewers["premium"])
    response = client.get(premium_event.url)
    html = response.content.decode()
    assert ONLINE_URL in html and 'data-testid="cancel-form"' in html
    assert "no-store" in response["Cache-Control"]  # the room's address stays out of shared caches


def test_a_waiting_person_sees_their_position(client, agenda):
    event = make_event(agenda, capacity=1)
    services.register(event, make_member("basic"))
    person = make_member("basic")
    services.register(event, person)
    client.force_login(person)
    html = client.get(event.url).content.decode()
    assert 'data-testid="registration-state"' in html and ">1<" not in html
    assert "1" in html.split('data-testid="registration-state"')[1].split("</p>")[0]
    assert 'data-testid="cancel-form"' in html


def test_a_visitor_reads_a_public_event_and_is_asked_to_log_in(client, agenda):
    event = make_event(agenda, audience="public")
    response = client.get(event.url)
    html = response.content.decode()
    assert response.status_code == 200 and BODY_MARKER in html
    assert 'data-reason="login"' in html and 'data-testid="register-form"' not in html


def test_a_visitor_is_sent_to_log_in_for_a_members_event(client, agenda):
    event = make_event(agenda)
    response = client.get(event.url)
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize(("kind", "reason"), [("expired", "renewal"), ("basic", None), ("staff", None)])
def test_the_registration_box_for_a_public_event(client, agenda, viewers, kind, reason):
    event = make_event(agenda, audience="public")
    client.force_login(viewers[kind])
    html = client.get(event.url).content.decode()
    if reason:
        assert f'data-reason="{reason}"' in html
    else:
        assert 'data-testid="register-form"' in html


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"registration_open": False}, "closed"),
        ({"registration_deadline": timezone.now() - datetime.timedelta(hours=1)}, "deadline"),
        ({"start_date": timezone.localdate() - datetime.timedelta(days=2)}, "past"),
    ],
)
def test_the_registration_box_says_why_registration_is_not_possible(client, agenda, viewers, fields, reason):
    event = make_event(agenda, **fields)
    client.force_login(viewers["basic"])
    html = client.get(event.url).content.decode()
    assert f'data-reason="{reason}"' in html and 'data-testid="register-form"' not in html


def test_a_group_event_is_hidden_from_outsiders(client, agenda, groups_index):
    insider, outsider = make_member("basic"), make_member("basic")
    group = make_group(groups_index, members=[insider])
    event = make_event(agenda, audience="group", group=group)
    client.force_login(outsider)
    assert client.get(event.url).status_code == 404
    assert client.post(register_url(event)).status_code == 404
    client.force_login(insider)
    assert 'data-testid="register-form"' in client.get(event.url).content.decode()
    assert client.post(register_url(event)).status_code == 302
    assert Registration.objects.get(event=event).user == insider


def test_a_time_zone_other_than_brussels_is_named(client, agenda, viewers):
    event = make_event(agenda, time_zone="Asia/Tokyo", start_time=datetime.time(10, 0), end_time=datetime.time(12, 0))
    client.force_login(viewers["basic"])
    html = client.get(event.url).content.decode()
    when = html.split('data-testid="event-when"')[1].split("</dd>")[0]
    assert "10:00" in when and "Asia/Tokyo" in when
    assert "+09:00" in when  # the machine-readable time carries the zone's offset


def test_prices_by_tier(client, agenda, viewers):
    event = make_event(agenda, price_basic="150.00", price_premium="90.00")
    client.force_login(viewers["premium"])
    price = client.get(event.url).content.decode().split('data-testid="event-price"')[1].split("</dd>")[0]
    assert "90" in price and "150" not in price
    client.force_login(viewers["basic"])
    price = client.get(event.url).content.decode().split('data-testid="event-price"')[1].split("</dd>")[0]
    assert "150" in price and "90" not in price


def test_the_page_costs_a_fixed_number_of_queries(client, agenda, viewers, django_assert_max_num_queries):
    event = make_event(agenda, capacity=5)
    for _ in range(3):
        EventSpeakerFactory(page=event)
    for _ in range(5):
        services.register(event, make_member("basic"))
    services.register(event, viewers["premium"])  # waiting
    client.force_login(viewers["premium"])
    client.get(event.url)  # warm the site's caches
    with django_assert_max_num_queries(20):
        assert client.get(event.url).status_code == 200


# --- The register and cancel views --------------------------------------------------------------


def test_registering_redirects_back_with_a_message(client, agenda, viewers):
    event = make_event(agenda)
    client.force_login(viewers["basic"])
    response = client.post(register_url(event), follow=True)
    assert response.redirect_chain[-1][0] == event.url
    assert list(response.context["messages"])
    assert Registration.objects.get(event=event, user=viewers["basic"]).state == State.CONFIRMED


def test_a_double_submit_registers_once(client, agenda, viewers):
    event = make_event(agenda)
    client.force_login(viewers["basic"])
    assert client.post(register_url(event)).status_code == 302
    assert client.post(register_url(event)).status_code == 302
    assert Registration.objects.filter(event=event).count() == 1


def test_cancelling_through_the_view(client, agenda, viewers):
    event = make_event(agenda)
    services.register(event, viewers["basic"])
    client.force_login(viewers["basic"])
    assert client.post(cancel_url(event)).status_code == 302
    assert Registration.objects.get(event=event).state == State.CANCELLED


@pytest.mark.parametrize(
    ("kind", "status", "where"),
    [
        ("anonymous", 302, "/compte/connexion/"),
        ("expired", 403, None),
        ("unsigned", 302, "/charte/"),
        ("basic", 403, None),  # premium event: the premium tier is explained
        ("premium", 302, "event"),
        ("staff", 302, "event"),
    ],
)
def test_who_may_register_for_a_premium_event_through_the_view(client, viewers, premium_event, kind, status, where):
    if kind != "anonymous":
        client.force_login(viewers[kind])
    response = client.post(register_url(premium_event))
    assert response.status_code == status
    if where == "event":
        assert response["Location"] == premium_event.url
    elif where:
        assert where in response["Location"] and "next=" in response["Location"]
    registered = Registration.objects.filter(event=premium_event).exists()
    assert registered == (where == "event")


def test_a_member_without_a_membership_is_refused_on_a_public_event(client, agenda):
    event = make_event(agenda, audience="public")
    client.force_login(UserFactory())
    assert client.post(register_url(event)).status_code == 403
    assert not Registration.objects.exists()


def test_a_closed_registration_is_refused_with_a_message(client, agenda, viewers):
    event = make_event(agenda, registration_open=False)
    client.force_login(viewers["basic"])
    response = client.post(register_url(event), follow=True)
    assert response.redirect_chain[-1][0] == event.url
    assert not Registration.objects.exists()


@pytest.mark.parametrize("event_id", ["999999", str(2**63), "99999999999999999999999"])
def test_a_bad_id_is_a_404(client, viewers, event_id):
    client.force_login(viewers["basic"])
    assert client.post(f"/agenda/{event_id}/inscription/").status_code == 404
    assert client.post(f"/agenda/{event_id}/annulation/").status_code == 404


def test_registration_views_are_post_only_and_csrf_protected(agenda, viewers):
    from django.test import Client

    event = make_event(agenda)
    client = Client(enforce_csrf_checks=True)
    client.force_login(viewers["basic"])
    assert client.get(register_url(event)).status_code == 405
    assert client.post(register_url(event)).status_code == 403
    assert not Registration.objects.exists()


def test_an_unpublished_event_is_a_404(client, agenda, viewers):
    event = make_event(agenda)
    event.unpublish()
    client.force_login(viewers["staff"])
    assert client.post(register_url(event)).status_code == 404
