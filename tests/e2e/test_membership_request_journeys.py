"""Asking the secretariat in a real browser: a basic member follows a premium teaser to the upgrade form
and sends it in one click; a lapsed member renews from the dashboard."""

import pytest

from members.models import MembershipRequest
from tests.e2e.test_membership_journeys import log_in
from tests.factories.knowledge import TechWatchIndexPageFactory, make_article
from tests.factories.members import make_member, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_basic_member_asks_for_the_premium_tier_from_a_teaser(live_server, new_page, club, mailoutbox):
    make_staff(username="gestion@example.org")
    article = make_article(TechWatchIndexPageFactory(parent=club), audience="premium")
    member = make_member("basic", username="bea@example.org")
    page = new_page(width=390)  # a phone
    log_in(page, live_server.url, member.username)
    page.wait_for_selector("[data-testid=dashboard]")
    page.goto(f"{live_server.url}{article.url}")
    with page.expect_navigation():
        page.click("[data-testid=upgrade-box] [data-testid=upgrade-link]")
    with page.expect_navigation():
        page.locator("[data-testid=membership-request-form] button[type=submit]").click()
    assert page.locator("[data-testid=membership-request-open]").is_visible()
    assert MembershipRequest.objects.get(user=member).kind == "upgrade"
    assert [message.to for message in mailoutbox] == [["gestion@example.org"]]


def test_a_lapsed_member_renews_from_the_dashboard(live_server, new_page, club):
    member = make_member("premium", expired=True, username="xavier@example.org")
    page = new_page()
    log_in(page, live_server.url, member.username)
    page.wait_for_selector("[data-testid=dashboard]")
    assert page.locator("[data-testid=renewal-notice]").count() == 1
    assert page.locator("[data-testid=renewal-banner]").count() == 0
    with page.expect_navigation():
        page.click("[data-testid=membership-status] [data-testid=renew-link]")
    page.fill("textarea[name=message]", "Même formule que l'an dernier.")
    with page.expect_navigation():
        page.locator("[data-testid=membership-request-form] button[type=submit]").click()
    request = MembershipRequest.objects.get(user=member)
    assert (request.kind, request.message) == ("renewal", "Même formule que l'an dernier.")
