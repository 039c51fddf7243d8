"""The header on a phone: folded behind a menu button that opens with the keyboard, under a strict
Content-Security-Policy that the browser reports no violation of."""

import pytest

from tests.factories.home import StandardPageFactory
from tests.factories.members import PASSWORD, make_member

# The live server needs real commits; the `club` fixture rebuilds what the flush between such tests wipes.
pytestmark = pytest.mark.django_db(transaction=True)

PHONE = 390
COLLAPSED_HEADER_MAX = 80


@pytest.fixture
def menu_pages(club):
    return [StandardPageFactory(parent=club, title=title, show_in_menus=True) for title in ("Le club", "Contact")]


def watch_console(page):
    """Messages the browser logs, among them any Content-Security-Policy violation."""
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    return messages


def test_on_a_phone_the_menu_is_folded_and_opens_with_the_keyboard(live_server, new_page, menu_pages):
    page = new_page(width=PHONE)
    messages = watch_console(page)
    page.goto(f"{live_server.url}/")
    button = page.locator("[data-menu-button]")
    menu = page.locator("#site-menu")

    assert page.locator(".site-header").bounding_box()["height"] <= COLLAPSED_HEADER_MAX
    assert button.is_visible()
    assert not menu.is_visible()

    # Tab past the skip link and the logo to the button, then open it with Enter.
    for _ in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.hasAttribute('data-menu-button')"):
            break
    assert page.evaluate("document.activeElement.hasAttribute('data-menu-button')")
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert menu.is_visible()

    # The next Tab reaches the first link of the menu; every link of the menu is on screen.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Le club"
    for title in ("Le club", "Contact"):
        assert menu.get_by_role("link", name=title).is_visible()
    assert menu.get_by_role("link", name="Se connecter").is_visible()

    # Escape folds it again and gives the focus back to the button; Space opens it too.
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-menu-button')")
    page.keyboard.press("Space")
    assert menu.is_visible()

    assert not [text for text in messages if "Content Security Policy" in text]


def test_on_a_wide_screen_the_menu_is_open_without_a_button(live_server, new_page, menu_pages):
    page = new_page(width=1280)
    page.goto(f"{live_server.url}/")
    assert not page.locator("[data-menu-button]").is_visible()
    assert page.locator("#site-menu").get_by_role("link", name="Contact").is_visible()
    assert page.locator(".site-header").bounding_box()["height"] <= COLLAPSED_HEADER_MAX


def test_without_javascript_the_menu_stays_open(live_server, browser, menu_pages):
    context = browser.new_context(viewport={"width": PHONE, "height": 900}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/")
        assert not page.locator("[data-menu-button]").is_visible()
        assert page.locator("#site-menu").get_by_role("link", name="Contact").is_visible()
    finally:
        context.close()


def test_a_member_on_a_phone_reaches_the_log_out_button(live_server, new_page, menu_pages):
    member = make_member("premium", username="marc@example.org")
    page = new_page(width=PHONE)
    messages = watch_console(page)
    page.goto(f"{live_server.url}/compte/connexion/")
    assert page.locator("[data-testid=login-link]").count() == 0  # not on the log-in page itself
    page.fill("input[name=username]", member.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("[data-testid=dashboard]")
    page.locator("[data-menu-button]").click()
    assert page.locator("#site-menu").get_by_role("button", name="Se déconnecter").is_visible()
    assert not [text for text in messages if "Content Security Policy" in text]
