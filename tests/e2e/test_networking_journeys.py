"""Events and the directory in a real browser, as members meet them.

Two members want the last seat of a training: the first gets it, the second joins the waiting list and
is moved up when the first cancels. A basic member at a premium event gets its teaser and the way to
premium, never a register button. A member shows their job title to the club and another member finds
them by it in the directory, on a phone. A premium member tells an opportunity's contact of their
interest and finds it on the dashboard.
"""

import pytest

from events.models import EventPage, Registration
from tests.e2e.test_membership_journeys import log_in
from tests.factories.events import EventIndexPageFactory, make_event
from tests.factories.members import make_member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def agenda(club):
    return EventIndexPageFactory(parent=club)


def open_event(page, base, event):
    page.goto(f"{base}{event.url}")
    page.wait_for_selector("[data-testid=event-page]")


def test_the_last_seat_goes_to_one_member_and_the_waiting_list_moves_up(live_server, new_page, agenda, mailoutbox):
    event = make_event(agenda, title="Formation : gouvernance des SI", kind=EventPage.Kind.TRAINING, capacity=1)
    first = make_member("basic", username="ana@example.org")
    second = make_member("basic", username="bruno@example.org")

    ana = new_page()
    log_in(ana, live_server.url, first.username)
    ana.wait_for_selector("[data-testid=dashboard]")
    open_event(ana, live_server.url, event)
    assert "1" in ana.inner_text("[data-testid=registration-box] [data-testid=seats-left]")
    with ana.expect_navigation():
        ana.click("[data-testid=register-form] button")
    assert "inscrit" in ana.inner_text("[data-testid=registration-state]").lower()

    bruno = new_page()
    log_in(bruno, live_server.url, second.username)
    bruno.wait_for_selector("[data-testid=dashboard]")
    open_event(bruno, live_server.url, event)
    with bruno.expect_navigation():
        bruno.click("[data-testid=register-form] button")
    assert "attente" in bruno.inner_text("[data-testid=registration-state]").lower()

    # Ana cannot come after all: her seat goes to Bruno, who is told by e-mail.
    with ana.expect_navigation():
        ana.click("[data-testid=cancel-form] button")
    assert ana.locator("[data-testid=register-form]").count() == 1
    states = dict(Registration.objects.filter(event=event).values_list("user__username", "state"))
    assert states == {first.username: "cancelled", second.username: "confirmed"}
    assert any(second.email in message.to for message in mailoutbox)

    bruno.goto(f"{live_server.url}/")
    panel = bruno.locator("[data-testid=panel-my-registrations]")
    panel.wait_for()
    assert "Formation : gouvernance des SI" in panel.inner_text()


def test_a_basic_member_sees_a_premium_event_s_teaser_and_the_way_to_premium(live_server, new_page, agenda):
    event = make_event(
        agenda, title="Table ronde des grappes", audience=EventPage.EventAudience.PREMIUM, summary="Entre DSI premium."
    )
    basic = make_member("basic", username="carla@example.org")
    page = new_page()
    log_in(page, live_server.url, basic.username)
    page.wait_for_selector("[data-testid=dashboard]")
    open_event(page, live_server.url, event)

    assert "Entre DSI premium." in page.inner_text("main")
    assert page.locator("[data-testid=upgrade-link]").first.is_visible()
    assert page.locator("[data-testid=register-form]").count() == 0
    assert "PROGRAMME-RESERVE" not in page.content()


def test_a_member_shows_their_job_title_and_another_finds_them_on_a_phone(live_server, new_page, club):
    shown = make_member("basic", username="dina@example.org", first_name="Dina", last_name="Marchal")
    seeker = make_member("basic", username="eric@example.org")

    page = new_page()
    log_in(page, live_server.url, shown.username)
    page.wait_for_selector("[data-testid=dashboard]")
    page.goto(f"{live_server.url}/compte/profil/")
    page.fill("input[name=job_title]", "Responsable cybersécurité")
    page.check("input[name=show_job_title]")
    with page.expect_navigation():
        page.click("[data-testid=profile-save]")
    assert shown.profile.__class__.objects.get(user=shown).show_job_title

    phone = new_page(width=390)
    log_in(phone, live_server.url, seeker.username)
    phone.wait_for_selector("[data-testid=dashboard]")
    phone.goto(f"{live_server.url}/membres/annuaire/?q=cybersécurité")
    card = phone.locator("[data-testid=directory-card]")
    card.first.wait_for()
    assert card.count() == 1
    assert "Dina Marchal" in card.first.inner_text()
    assert "Responsable cybersécurité" in card.first.inner_text()
    # Readable on a phone: the card fits the screen, no sideways scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_premium_member_tells_the_contact_of_an_opportunity_and_finds_it_on_the_dashboard(
    live_server, new_page, club, mailoutbox
):
    from tests.factories.opportunities import CONTACT_MARKER, OpportunityIndexPageFactory, make_opportunity

    index = OpportunityIndexPageFactory(parent=club)
    opportunity = make_opportunity(index, title="Appel MecaTech : usine 4.0")
    premium = make_member("premium", username="fanny@example.org")
    page = new_page()
    log_in(page, live_server.url, premium.username)
    page.wait_for_selector("[data-testid=dashboard]")
    page.goto(f"{live_server.url}{opportunity.url}")

    page.fill("[data-testid=interest-form] textarea", "Notre équipe a déjà mené deux projets de jumeaux numériques.")
    with page.expect_navigation():
        page.click("[data-testid=interest-form] button[type=submit]")
    page.wait_for_selector("[data-testid=interest-recorded]")
    assert any(CONTACT_MARKER in message.to for message in mailoutbox)

    page.goto(f"{live_server.url}/")
    panel = page.locator("[data-testid=panel-opportunities]")
    panel.wait_for()
    assert "Appel MecaTech : usine 4.0" in panel.locator("[data-testid=my-interests]").inner_text()
