"""The public site: home page, standard pages and error pages, in French and in English."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from tests.factories.home import StandardPageFactory

pytestmark = pytest.mark.django_db


def test_home_page_renders_for_a_visitor_in_french(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Le club des dirigeants de l&#x27;informatique" in html
    assert "Aller au contenu" in html
    assert "Se connecter" in html


def test_home_page_renders_for_a_visitor_in_english(client, home_page):
    response = client.get("/en/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    assert "Log in" in html
    assert 'href="/" lang="fr"' in html  # the switcher leads back to the French page


def test_standard_page_renders_in_both_languages_with_breadcrumbs(client, home_page):
    club = StandardPageFactory(parent=home_page, title="Le club", slug="le-club", show_in_menus=True)
    StandardPageFactory(parent=club, title="Gouvernance", slug="gouvernance")
    french = client.get("/le-club/gouvernance/")
    english = client.get("/en/le-club/gouvernance/")
    assert french.status_code == english.status_code == 200
    assert "<h1>Gouvernance</h1>" in french.content.decode()
    assert 'aria-label="Fil d\'Ariane"' in french.content.decode()
    assert 'aria-label="Breadcrumb"' in english.content.decode()
    assert 'href="/en/le-club/"' in english.content.decode()


def test_menu_lists_pages_in_menu_and_hides_private_ones_from_visitors(client, home_page):
    StandardPageFactory(parent=home_page, title="Le club", slug="le-club", show_in_menus=True)
    StandardPageFactory(parent=home_page, title="Hors menu", slug="hors-menu", show_in_menus=False)
    private = StandardPageFactory(parent=home_page, title="Réservé", slug="reserve", show_in_menus=True)
    restriction = PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.get(name="Membres"))
    nav = client.get("/").content.decode().split('class="site-nav"')[1].split("</nav>")[0]
    assert "Le club" in nav
    assert "Hors menu" not in nav
    assert "Réservé" not in nav


def test_footer_shows_the_social_links_editors_set(client, home_page):
    from home.models import ClubSettings

    settings = ClubSettings.for_site(home_page.get_site())
    settings.linkedin_url = "https://www.linkedin.com/company/cercle-club"
    settings.save()
    html = client.get("/").content.decode()
    assert 'href="https://www.linkedin.com/company/cercle-club"' in html
    assert "Le club sur LinkedIn" in html


def test_missing_page_gets_the_clubs_404(client, home_page):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
    assert "Cercle" in response.content.decode()


def test_server_error_page_renders_without_a_request_context():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Une erreur est survenue" in html


def test_home_page_costs_a_fixed_number_of_queries(client, home_page, django_assert_max_num_queries):
    for n in range(8):
        StandardPageFactory(parent=home_page, title=f"Rubrique {n}", show_in_menus=True)
    client.get("/")  # warm the site cache, as any running server has
    with django_assert_max_num_queries(5):  # measured 5 (a plain Wagtail page: 8 for a visitor)
        response = client.get("/")
    assert response.status_code == 200
