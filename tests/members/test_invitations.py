"""The invitation journey: inviting someone, following the link, joining the club."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from members import services
from members.models import CharterSignature, Invitation, Membership
from tests.factories.members import (
    PASSWORD,
    CharterFactory,
    InvitationFactory,
    OrganisationFactory,
    make_member,
    make_staff,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Orchidée-Sur-Le-Toit-1987"


def in_french(text):
    """What the site (French first) shows for an English msgid, as it appears in HTML."""
    with translation.override("fr"):
        return escape(gettext(text))


def open_invitation(**fields):
    """An invitation as `services.invite` leaves it, and the token of its link (no e-mail sent)."""
    invitation = InvitationFactory.build(**fields)
    token = invitation.new_token()
    invitation.save()
    return invitation, token


def accept_url(token):
    return reverse("members:accept_invitation", args=[token])


def filled_form(**overrides):
    data = {
        "first_name": "Claire",
        "last_name": "Dumont",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "accept_charter": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def post_acceptance(client, token, charter=None, **overrides):
    data = filled_form(**overrides)
    if charter is not None:
        data["charter_version"] = charter.version
    return client.post(accept_url(token), data)


# --- Accepting -----------------------------------------------------------------------------------


def test_invited_person_joins_signs_the_charter_and_lands_on_their_dashboard(
    client, home_page, django_capture_on_commit_callbacks
):
    staff = make_staff(first_name="Marc", last_name="Lambert")
    organisation = OrganisationFactory(name="Hainaut Data")
    charter = CharterFactory(body="<p>Indépendance et loyauté.</p>")
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = services.invite(
            "Claire.Dumont@Example.org",
            invited_by=staff,
            tier="premium",
            category="effective",
            organisation=organisation,
            message="Ton regard sur la sécurité nous manque.",
        )

    page = client.get(accept_url(token))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Ton regard sur la sécurité nous manque." in content
    assert "Indépendance et loyauté." in content
    assert "claire.dumont@example.org" in content
    assert "Marc Lambert" in content

    response = post_acceptance(client, token, charter)

    assert response.status_code == 302
    assert response.url == "/"
    user = get_user_model().objects.get(username="claire.dumont@example.org")
    assert (user.email, user.first_name, user.last_name) == ("claire.dumont@example.org", "Claire", "Dumont")
    assert user.check_password(NEW_PASSWORD)
    membership = Membership.objects.get(user=user)
    assert (membership.tier, membership.category, membership.organisation) == ("premium", "effective", organisation)
    assert CharterSignature.objects.filter(user=user, charter=charter).exists()
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.ACCEPTED
    assert invitation.accepted_at is not None
    assert invitation.accepted_by == user
    assert client.session["_auth_user_id"] == str(user.pk)
    assert len(list(get_messages(response.wsgi_request))) == 1
    assert client.get("/").status_code == 200


def test_the_form_shows_the_address_but_does_not_let_it_be_changed(client):
    _invitation, token = open_invitation(email="claire@example.org")
    response = client.post(accept_url(token), {**filled_form(), "email": "someone.else@example.org"})

    assert response.status_code == 302
    assert get_user_model().objects.filter(username="claire@example.org").exists()
    assert not get_user_model().objects.filter(email="someone.else@example.org").exists()


def test_accepting_works_with_the_origin_header_a_browser_sends(client):
    _invitation, token = open_invitation(email="origin@example.org")
    csrf_client = type(client)(enforce_csrf_checks=True)
    page = csrf_client.get(accept_url(token))
    form = {**filled_form(), "csrfmiddlewaretoken": page.context["csrf_token"]}
    response = csrf_client.post(accept_url(token), form, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 302


def test_the_invitation_page_is_not_cached_and_does_not_leak_its_link(client):
    _invitation, token = open_invitation()

    for response in (client.get(accept_url(token)), client.get(accept_url(token + "x"))):
        assert response["Referrer-Policy"] == "same-origin"
        assert "no-store" in response["Cache-Control"]


def test_used_link_is_refused_politely(client):
    _invitation, token = open_invitation()
    post_acceptance(client, token)
    client.logout()

    response = client.get(accept_url(token))

    assert response.status_code == 410
    assert 'data-kind="accepted"' in response.content.decode()
    assert in_french("This invitation has already been used") in response.content.decode()
    assert reverse("login") in response.content.decode()


def test_posting_the_form_again_with_a_used_link_creates_nothing(client):
    _invitation, token = open_invitation()
    post_acceptance(client, token)
    client.logout()

    response = post_acceptance(client, token, first_name="Autre")

    assert response.status_code == 410
    assert get_user_model().objects.count() == 1


def test_link_expires_after_fourteen_days(client):
    _invitation, token = open_invitation(expires_at=Invitation.default_expiry())

    with time_machine.travel(timezone.now() + datetime.timedelta(days=13), tick=False):
        assert client.get(accept_url(token)).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15), tick=False):
        response = client.get(accept_url(token))
        refused_post = post_acceptance(client, token)

    assert response.status_code == 410
    assert 'data-kind="expired"' in response.content.decode()
    assert in_french("This invitation has expired") in response.content.decode()
    assert refused_post.status_code == 410
    assert not get_user_model().objects.exists()


def test_expired_page_names_the_person_to_ask_for_a_new_invitation(client):
    inviter = make_staff(first_name="Marc", last_name="Lambert")
    _invitation, token = open_invitation(invited_by=inviter, expires_at=timezone.now() - datetime.timedelta(minutes=1))

    response = client.get(accept_url(token))

    assert response.status_code == 410
    assert "Marc Lambert" in response.content.decode()


def test_forged_link_is_not_found(client):
    open_invitation()

    response = client.get(accept_url("forged-token-that-matches-nothing"))

    assert response.status_code == 404
    assert 'data-kind="unknown"' in response.content.decode()
    assert in_french("This invitation link is not valid") in response.content.decode()


def test_revoked_invitation_is_refused(client):
    staff = make_staff()
    invitation, token = open_invitation(invited_by=staff)
    services.revoke_invitation(invitation, by=staff)

    response = client.get(accept_url(token))

    assert response.status_code == 410
    assert 'data-kind="revoked"' in response.content.decode()
    assert in_french("This invitation has been withdrawn") in response.content.decode()


def test_sending_again_makes_the_old_link_stop_working(client, django_capture_on_commit_callbacks):
    staff = make_staff()
    invitation, old_token = open_invitation(invited_by=staff)

    with django_capture_on_commit_callbacks(execute=True):
        new_token = services.resend_invitation(invitation, by=staff)

    assert client.get(accept_url(old_token)).status_code == 404
    assert client.get(accept_url(new_token)).status_code == 200
    assert len(mail.outbox) == 1
    assert accept_url(new_token) in mail.outbox[0].body


# --- The e-mail ----------------------------------------------------------------------------------


def test_invitation_email_carries_the_link_the_personal_message_and_the_inviters_name(
    django_capture_on_commit_callbacks,
):
    staff = make_staff(first_name="Marc", last_name="Lambert")
    with django_capture_on_commit_callbacks(execute=True):
        _invitation, token = services.invite(
            "claire@example.org",
            invited_by=staff,
            tier="basic",
            category="adherent",
            message="Rejoins-nous & apporte ton expérience du cloud.",
        )

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    with translation.override("fr"):
        assert email.subject == gettext("Your invitation to join the club")
    assert email.to == ["claire@example.org"]
    link = "http://127.0.0.1:8000" + accept_url(token)
    assert link in email.body
    assert "Rejoins-nous & apporte ton expérience du cloud." in email.body
    assert "Marc Lambert" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html
    assert "Rejoins-nous &amp; apporte ton expérience du cloud." in html
    assert "Marc Lambert" in html


# --- Bad input -----------------------------------------------------------------------------------


def test_weak_password_is_refused_and_the_typed_names_are_kept(client):
    _invitation, token = open_invitation(email="claire@example.org")

    response = post_acceptance(client, token, password1="12345678", password2="12345678")

    assert response.status_code == 400
    assert response.context["form"].errors["password1"]
    content = response.content.decode()
    assert 'value="Claire"' in content
    assert 'value="Dumont"' in content
    assert not get_user_model().objects.exists()


def test_password_too_close_to_the_typed_name_is_refused(client):
    _invitation, token = open_invitation(email="claire@example.org")

    response = post_acceptance(
        client, token, last_name="Vanderstraeten", password1="vanderstraeten2", password2="vanderstraeten2"
    )

    assert response.status_code == 400
    assert "password1" in response.context["form"].errors


def test_passwords_that_differ_are_refused(client):
    _invitation, token = open_invitation()

    response = post_acceptance(client, token, password2=NEW_PASSWORD + "x")

    assert response.status_code == 400
    assert "password2" in response.context["form"].errors
    assert not get_user_model().objects.exists()


def test_the_charter_must_be_accepted_to_join(client):
    charter = CharterFactory()
    invitation, token = open_invitation()

    response = post_acceptance(client, token, charter, accept_charter=None)

    assert response.status_code == 400
    assert "accept_charter" in response.context["form"].errors
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.SENT
    assert not get_user_model().objects.exists()


def test_a_charter_that_changed_meanwhile_must_be_accepted_again(client):
    old = CharterFactory(version="1.0", effective_date=timezone.localdate() - datetime.timedelta(days=30))
    _invitation, token = open_invitation()
    CharterFactory(version="2.0", effective_date=timezone.localdate())

    response = post_acceptance(client, token, old)

    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not get_user_model().objects.exists()


def test_without_a_charter_there_is_nothing_to_tick(client):
    _invitation, token = open_invitation()

    page = client.get(accept_url(token))
    response = post_acceptance(client, token, accept_charter=None)

    assert "accept_charter" not in page.context["form"].fields
    assert response.status_code == 302
    assert not CharterSignature.objects.exists()


def test_an_address_that_already_has_an_account_is_told_to_log_in(client):
    make_member(username="claire@example.org")
    _invitation, token = open_invitation(email="claire@example.org")

    page = client.get(accept_url(token))
    response = post_acceptance(client, token)

    assert page.status_code == 200
    assert 'data-testid="invitation-account-exists"' in page.content.decode()
    assert response.status_code == 400
    assert response.context["form"].has_error("__all__", code="account_exists")
    assert reverse("login") in response.content.decode()
    assert get_user_model().objects.count() == 1


def test_someone_logged_in_is_asked_to_log_out_before_accepting(client):
    member = make_member()
    _invitation, token = open_invitation(email="claire@example.org")
    client.force_login(member)

    page = client.get(accept_url(token))
    response = post_acceptance(client, token)

    assert page.status_code == 200
    assert 'data-testid="invitation-logged-in"' in page.content.decode()
    assert response.status_code == 409
    assert not get_user_model().objects.filter(username="claire@example.org").exists()
    assert client.session["_auth_user_id"] == str(member.pk)


# --- Inviting ------------------------------------------------------------------------------------


def invite_data(**overrides):
    data = {"email": "new.person@example.org", "tier": "basic", "category": "adherent", "message": "Bienvenue !"}
    data.update(overrides)
    return data


def test_an_effective_member_invites_someone(client, django_capture_on_commit_callbacks):
    member = make_member(category="effective", first_name="Anne", last_name="Leroy")
    organisation = OrganisationFactory()
    client.force_login(member)

    assert client.get(reverse("members:invite")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members:invite"),
            invite_data(email="New.Person@Example.org", tier="premium", organisation=organisation.pk),
        )

    assert response.status_code == 302
    assert response.url == reverse("members:invite")
    invitation = Invitation.objects.get()
    assert invitation.email == "new.person@example.org"
    assert (invitation.invited_by, invitation.tier, invitation.organisation) == (member, "premium", organisation)
    assert invitation.message == "Bienvenue !"
    assert len(mail.outbox) == 1
    assert "Anne Leroy" in mail.outbox[0].body
    assert "new.person@example.org" in client.get(reverse("members:invite")).content.decode()


def test_staff_invite_someone(client):
    client.force_login(make_staff())

    response = client.post(reverse("members:invite"), invite_data())

    assert response.status_code == 302
    assert Invitation.objects.filter(email="new.person@example.org").exists()


def test_a_basic_adherent_member_may_not_invite(client):
    client.force_login(make_member(category="adherent"))

    get = client.get(reverse("members:invite"))
    post = client.post(reverse("members:invite"), invite_data())

    assert get.status_code == 403
    assert post.status_code == 403
    assert 'data-testid="forbidden-reason"' in get.content.decode()
    assert not Invitation.objects.exists()


def test_an_effective_member_whose_membership_ended_may_not_invite(client):
    client.force_login(make_member(category="effective", expired=True))

    assert client.get(reverse("members:invite")).status_code == 403


def test_effective_members_may_not_invite_when_the_club_says_so(client, settings):
    settings.CERCLE_EFFECTIVE_MEMBERS_MAY_INVITE = False
    client.force_login(make_member(category="effective"))

    assert client.get(reverse("members:invite")).status_code == 403
    client.force_login(make_staff())
    assert client.get(reverse("members:invite")).status_code == 200


def test_an_effective_member_who_has_not_signed_the_new_charter_signs_it_first(client):
    member = make_member(category="effective", signed=False)
    CharterFactory()
    client.force_login(member)

    response = client.get(reverse("members:invite"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("members:charter") + "?next=")


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("members:invite"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")


def test_inviting_an_address_that_has_an_account_is_refused(client):
    make_member(username="known@example.org")
    client.force_login(make_staff())

    response = client.post(reverse("members:invite"), invite_data(email="Known@example.org", message="Salut"))

    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    assert "Salut" in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_an_address_with_an_open_invitation_is_refused(client):
    open_invitation(email="pending@example.org")
    client.force_login(make_staff())

    response = client.post(reverse("members:invite"), invite_data(email="pending@example.org"))

    assert response.status_code == 400
    assert response.context["form"].has_error("email", code="already_invited")
    assert Invitation.objects.count() == 1


def test_an_address_whose_invitation_expired_may_be_invited_again(client):
    open_invitation(email="late@example.org", expires_at=timezone.now() - datetime.timedelta(days=1))
    client.force_login(make_staff())

    response = client.post(reverse("members:invite"), invite_data(email="late@example.org"))

    assert response.status_code == 302
    assert Invitation.objects.filter(email="late@example.org").count() == 2


def test_an_invalid_invitation_form_keeps_what_was_typed(client):
    client.force_login(make_staff())

    response = client.post(reverse("members:invite"), invite_data(email="not-an-address", message="Mon message"))

    assert response.status_code == 400
    assert 'value="not-an-address"' in response.content.decode()
    assert "Mon message" in response.content.decode()


def test_the_factory_password_still_logs_in_members(client):
    """Guard for the other tests: members made by the factories log in with PASSWORD."""
    member = make_member()
    assert client.login(username=member.username, password=PASSWORD)
