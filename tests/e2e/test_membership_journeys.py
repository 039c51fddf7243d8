"""The membership journeys of the issue, in a real browser."""

import re

import pytest
from django.core import mail

from members.models import Invitation
from tests.factories.members import PASSWORD, OrganisationFactory, make_member, make_staff

# The live server needs real commits; the `club` fixture rebuilds what the flush between such tests wipes.
pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, base, username, password=PASSWORD):
    page.goto(f"{base}/compte/connexion/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()


def test_staff_invites_and_the_invited_person_joins(live_server, new_page, club):
    staff = make_staff(username="secretariat@example.org")
    OrganisationFactory(name="Pixelune")
    page = new_page()
    log_in(page, live_server.url, staff.username)
    page.goto(f"{live_server.url}/admin/members/invitations/new/")
    page.fill("input[name=email]", "jane@example.org")
    page.select_option("select[name=tier]", "premium")
    page.select_option("select[name=category]", "adherent")
    page.select_option("select[name=organisation]", label="Pixelune")
    page.fill("textarea[name=message]", "Bienvenue au club, Jane !")
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/members/invitations/$"))
    assert Invitation.objects.get(email="jane@example.org").state == "sent"

    link = re.search(r"https?://\S+/invitation/[\w-]+/", mail.outbox[-1].body).group(0)
    link = live_server.url + link[link.index("/invitation/") :]
    jane = new_page(width=390)  # she opens it on her phone
    jane.goto(link)
    assert "Bienvenue au club, Jane !" in jane.content()
    jane.fill("input[name=first_name]", "Jane")
    jane.fill("input[name=last_name]", "Doe")
    jane.fill("input[name=password1]", "un-mot-de-passe-solide-2026")
    jane.fill("input[name=password2]", "un-mot-de-passe-solide-2026")
    jane.check("input[name=accept_charter]")
    jane.locator("main form button[type=submit]").click()
    jane.wait_for_selector("[data-testid=dashboard]")
    assert "Pixelune" in jane.locator("[data-testid=membership-status]").inner_text()

    jane.goto(link)
    assert jane.locator("h1").inner_text() != ""
    assert Invitation.objects.get(email="jane@example.org").state == "accepted"
    assert "connexion" in jane.content() or "/compte/connexion/" in jane.content()


def test_a_member_edits_the_profile_and_logs_out(live_server, new_page, club):
    member = make_member("basic", username="marc@example.org")
    page = new_page()
    log_in(page, live_server.url, member.username)
    page.wait_for_selector("[data-testid=dashboard]")
    page.goto(f"{live_server.url}/compte/profil/")
    page.fill("input[name=job_title]", "Directeur des systèmes d'information")
    with page.expect_navigation():
        page.click("[data-testid=profile-save]")
    member.profile.refresh_from_db()
    assert member.profile.job_title == "Directeur des systèmes d'information"
    with page.expect_navigation():
        page.locator("header form[action$='/deconnexion/'] button[type=submit]").click()
    assert page.locator("[data-testid=account] a").count() == 1  # the log-in link is back
