"""Search in a real browser: a member types in the header box, picks a suggestion with the keyboard and
lands on the article; a basic member finds a premium article by its title, as an excerpt, and never by
a word of its body; a premium member finds it by that word."""

import pytest

from tests.e2e.test_membership_journeys import log_in
from tests.factories.knowledge import BODY_MARKER, TechWatchIndexPageFactory, make_article
from tests.factories.members import make_member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def watch(club):
    index = TechWatchIndexPageFactory(parent=club)
    premium = make_article(index, title="NIS2 : ce qui change pour les DSI", topics=["NIS2"], audience="premium")
    members = make_article(
        index,
        title="Le cloud souverain en pratique",
        topics=["cloud"],
        audience="members",
        body=[{"type": "paragraph", "value": "<p>Retour d'expérience d'un hébergeur belge.</p>"}],
    )
    return premium, members


def search_for(page, words):
    page.fill("#site-search-q", words)
    with page.expect_navigation():
        page.press("#site-search-q", "Enter")


def test_a_member_picks_a_suggestion_with_the_keyboard(live_server, new_page, watch):
    _premium, members = watch
    member = make_member("basic", username="sam@example.org")
    page = new_page()
    log_in(page, live_server.url, member.username)
    page.wait_for_selector("[data-testid=dashboard]")

    page.click("#site-search-q")
    page.keyboard.type("souver")
    option = page.locator("[role=listbox] [role=option]").first
    option.wait_for()
    assert "Le cloud souverain en pratique" in option.inner_text()
    assert page.get_attribute("#site-search-q", "aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(members.url)


def test_a_basic_member_finds_the_teaser_not_the_body_and_a_premium_member_finds_both(live_server, new_page, watch):
    premium, _members = watch
    basic = make_member("basic", username="bea@example.org")
    page = new_page(width=1200)
    log_in(page, live_server.url, basic.username)
    page.wait_for_selector("[data-testid=dashboard]")

    search_for(page, "NIS2")
    results = page.locator("[data-testid=search-results] .search-result")
    assert results.count() == 1
    assert premium.title in results.first.inner_text()
    assert page.locator("[data-testid=teaser-badge]").count() == 1

    search_for(page, BODY_MARKER)
    assert page.locator("[data-testid=search-results]").count() == 0
    assert premium.title not in page.locator("main").inner_text()

    pierre = make_member("premium", username="pierre@example.org")
    page = new_page()
    log_in(page, live_server.url, pierre.username)
    page.wait_for_selector("[data-testid=dashboard]")
    search_for(page, BODY_MARKER)
    results = page.locator("[data-testid=search-results] .search-result")
    assert results.count() == 1
    assert premium.title in results.first.inner_text()
    assert page.locator("[data-testid=teaser-badge]").count() == 0
