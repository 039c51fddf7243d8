"""What every page's head and header say: "Page title · Cercle", a description, the favicon, and no
log-in link on the log-in page itself."""

import importlib
import re

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from home.models import ClubSettings
from tests.factories.knowledge import TechWatchIndexPageFactory, make_article
from tests.factories.members import make_member

pytestmark = pytest.mark.django_db

TAGLINE = "Le club des dirigeants de l'informatique, sur invitation."


@pytest.fixture
def club_settings(home_page):
    settings = ClubSettings.for_site(home_page.get_site())
    settings.club_name = "Cercle"
    settings.tagline = TAGLINE
    settings.save()
    return settings


def title_of(response):
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def description_of(response):
    match = re.search(r'<meta name="description" content="([^"]*)">', response.content.decode())
    return match.group(1) if match else None


def test_the_home_page_title_is_the_page_then_the_club(client, club_settings):
    assert title_of(client.get("/")) == "Accueil · Cercle"


def test_the_login_page_title_names_the_club_not_the_host(client, club_settings):
    response = client.get(reverse("login"), HTTP_HOST="127.0.0.1")
    assert title_of(response) == "Se connecter · Cercle"
    assert "127.0.0.1" not in title_of(response)


def test_the_club_name_comes_from_the_club_settings(client, club_settings):
    club_settings.club_name = "Cercle des DSI"
    club_settings.save()
    assert title_of(client.get(reverse("login"))) == "Se connecter · Cercle des DSI"


def test_an_article_title_is_its_search_title_or_its_title(client, club_settings, home_page):
    watch = TechWatchIndexPageFactory(parent=home_page)
    article = make_article(watch, title="Le cloud souverain", audience="public")
    assert title_of(client.get(article.url)) == "Le cloud souverain · Cercle"
    article.seo_title = "Cloud souverain : où en est-on ?"
    article.save_revision().publish()
    assert title_of(client.get(article.url)) == "Cloud souverain : où en est-on ? · Cercle"


def test_the_directory_title(client, club_settings):
    client.force_login(make_member("premium"))
    assert title_of(client.get(reverse("members:directory"))) == "Annuaire des membres · Cercle"


def test_the_description_is_the_search_description_then_the_summary_then_the_tagline(client, club_settings, home_page):
    watch = TechWatchIndexPageFactory(parent=home_page)
    article = make_article(watch, summary="Ce que le cloud souverain change.", audience="public")
    assert description_of(client.get(article.url)) == "Ce que le cloud souverain change."
    article.search_description = "Le cloud souverain en une page."
    article.save_revision().publish()
    assert description_of(client.get(article.url)) == "Le cloud souverain en une page."
    assert description_of(client.get("/")) == "Le club des dirigeants de l&#x27;informatique, sur invitation."
    assert (
        description_of(client.get(reverse("login"))) == "Le club des dirigeants de l&#x27;informatique, sur invitation."
    )


def test_every_page_links_the_favicon_and_favicon_ico_leads_to_it(client, club_settings):
    icon = static("favicon.svg")
    assert f'<link rel="icon" href="{icon}" type="image/svg+xml">' in client.get("/").content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == icon
    assert finders.find("favicon.svg")


def test_favicon_ico_leads_to_the_icon_in_the_development_profile(settings, rf):
    """In development the URL configuration also serves media files, which must not hide the icon's address."""
    import config.urls

    settings.DEBUG = True
    try:
        development = importlib.reload(config.urls)
        assert development.favicon(rf.get("/favicon.ico"))["Location"] == static("favicon.svg")
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)


def test_the_login_page_offers_no_login_link(client, club_settings):
    response = client.get(reverse("login"))
    assert 'data-testid="login-link"' not in response.content.decode()
    assert 'data-testid="login-form"' in response.content.decode()


def test_other_pages_offer_the_login_link_to_visitors(client, club_settings):
    assert 'data-testid="login-link"' in client.get("/").content.decode()
    assert 'data-testid="login-link"' in client.get(reverse("password_reset")).content.decode()


def test_the_phone_menu_button_controls_the_menu(client, club_settings):
    html = client.get("/").content.decode()
    button = re.search(r"<button[^>]*data-menu-button[^>]*>", html).group(0)
    assert 'aria-controls="site-menu"' in button
    assert 'aria-expanded="false"' in button
    # Hidden until the script takes it over: without JavaScript the menu stays open.
    assert " hidden" in button
    assert 'id="site-menu"' in html
    assert f'<script src="{static("js/menu.js")}" defer></script>' in html


def test_the_title_filter_escapes_a_plain_string_and_keeps_an_escaped_block_as_it_is():
    from django.utils.safestring import mark_safe

    from home.templatetags.chrome_tags import with_club_name

    assert with_club_name("<b>R&D</b>", "Cercle") == "&lt;b&gt;R&amp;D&lt;/b&gt; · Cercle"
    assert with_club_name(mark_safe("R&amp;D "), "Cercle") == "R&amp;D · Cercle"
    assert with_club_name("", "Cercle") == "Cercle"
