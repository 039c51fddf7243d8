"""The technology watch in a real browser: a basic member filters the stream, meets a premium article's
teaser and reports an error; a premium member reads the article in full."""

import pytest

from knowledge.models import ErrorReport
from tests.e2e.test_membership_journeys import log_in
from tests.factories.knowledge import BODY_MARKER, TechWatchIndexPageFactory, make_article
from tests.factories.members import make_member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def watch(club):
    index = TechWatchIndexPageFactory(parent=club)
    premium = make_article(index, title="NIS2 : ce qui change pour les DSI", topics=["NIS2"], audience="premium")
    make_article(index, title="Le cloud souverain en pratique", topics=["cloud"], audience="members")
    return index, premium


def test_a_basic_member_filters_the_watch_and_reports_on_a_teaser(live_server, new_page, watch):
    index, premium = watch
    member = make_member("basic", username="bea@example.org")
    page = new_page(width=390)  # a phone
    log_in(page, live_server.url, member.username)
    page.wait_for_selector("[data-testid=dashboard]")
    page.goto(f"{live_server.url}{index.url}")
    page.select_option("#filter-topic", "nis2")
    with page.expect_navigation():
        page.locator(".watch-filters button[type=submit]").click()
    assert page.locator(".watch-card").count() == 1
    with page.expect_navigation():
        page.click(f"text={premium.title}")
    assert page.locator("[data-testid=upgrade-box]").is_visible()
    assert BODY_MARKER not in page.content()

    with page.expect_navigation():
        page.click("[data-testid=report-link]")
    page.fill("textarea[name=message]", "La date d'entrée en vigueur est le 18 octobre, pas le 17.")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith(premium.url)
    assert ErrorReport.objects.filter(page_id=premium.pk, sender=member).exists()


def test_a_premium_member_reads_the_article_in_full(live_server, new_page, watch):
    _index, premium = watch
    member = make_member("premium", username="pierre@example.org")
    page = new_page()
    log_in(page, live_server.url, member.username)
    page.wait_for_selector("[data-testid=dashboard]")
    page.goto(f"{live_server.url}{premium.url}")
    assert BODY_MARKER in page.content()
    assert page.locator("[data-testid=upgrade-box]").count() == 0
