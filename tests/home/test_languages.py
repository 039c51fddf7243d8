"""English that is honest: content says the language it is written in (WCAG 3.1.2).

The interface speaks the URL's language (`/` French, `/en/` English); a page's content is in its locale's
language. French content shown under `/en/` carries `lang="fr"` and a notice; under `/` it needs neither.
"""

import pytest
from wagtail.models import Locale, Page

from home.demo import translate_page
from members.models import PageAudience
from tests.factories.home import StandardPageFactory
from tests.factories.knowledge import BODY_MARKER, TechWatchIndexPageFactory, make_article
from tests.factories.members import make_member
from tests.factories.working_groups import make_group

pytestmark = pytest.mark.django_db

NOTICE = 'data-testid="language-notice"'


def test_french_members_page_under_en_marks_its_content_french_and_says_so(client, home_page):
    StandardPageFactory(parent=home_page, slug="espace", title="Espace des membres", audience="members")
    client.force_login(make_member("basic"))
    response = client.get("/en/espace/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert '<h1 lang="fr">Espace des membres</h1>' in html
    assert '<p class="lead" lang="fr">Une page du club.</p>' in html
    assert NOTICE in html and "This page is in French." in html


def test_french_page_under_its_own_language_has_no_notice_and_no_redundant_lang(client, home_page):
    StandardPageFactory(parent=home_page, slug="espace", title="Espace des membres", audience="members")
    client.force_login(make_member("basic"))
    html = client.get("/espace/").content.decode()
    assert "<h1>Espace des membres</h1>" in html
    assert 'lang="fr"' not in html.split("<main", 1)[1]
    assert NOTICE not in html


def test_group_page_under_en_marks_its_title_and_purpose_french(client, groups_index):
    member = make_member("basic")
    group = make_group(groups_index, title="Gouvernance IT", members=[member])
    client.force_login(member)
    response = client.get(f"/en{group.url}")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<span lang="fr">Gouvernance IT</span>' in html
    assert NOTICE in html
    # The interface around the content stays English and unmarked.
    assert "Latest meeting notes" in html


def test_listing_under_en_marks_each_french_title(client, home_page):
    StandardPageFactory(parent=home_page, slug="le-club", title="Le club", show_in_menus=True)
    html = client.get("/en/").content.decode()
    assert 'lang="fr">Le club</a>' in html  # the header menu names a French page


def test_charter_under_en_is_marked_french(client, home_page):
    client.force_login(make_member("basic"))
    html = client.get("/en/charte/").content.decode()
    assert 'class="rich-text charter-text" lang="fr"' in html
    assert NOTICE in html
    html = client.get("/charte/").content.decode()
    assert NOTICE not in html and 'charter-text" lang' not in html


# ---------------------------------------------------------------------------------------------
# Pages translated with wagtail-localize
# ---------------------------------------------------------------------------------------------

ENGLISH = {
    "Accueil": "Home",
    "accueil": "home",
    "Le club des dirigeants de l'informatique": "The club of IT leaders",
    "Un cercle indépendant, sur invitation.": "An independent circle, by invitation.",
    "Promouvoir le secteur ICT.": "Promoting the ICT sector.",
    "Le club": "The club",
    "le-club": "the-club",
    "Un club indépendant.": "An independent club.",
}


@pytest.fixture
def english(home_page):
    """The home page and "Le club" translated into English; a members' page and the watch left in French."""
    locale, _ = Locale.objects.get_or_create(language_code="en")  # gone if a transactional test flushed the base
    club = StandardPageFactory(
        parent=home_page, slug="le-club", title="Le club", introduction="Un club indépendant.", show_in_menus=True
    )
    StandardPageFactory(
        parent=home_page, slug="espace", title="Espace des membres", audience="members", show_in_menus=True
    )
    english_home = translate_page(home_page, locale, ENGLISH.__getitem__)
    english_club = translate_page(club, locale, ENGLISH.__getitem__)
    return {"home": english_home, "club": english_club, "french_club": club}


def test_english_home_is_the_translation_in_english(client, english):
    html = client.get("/en/").content.decode()
    assert '<html lang="en">' in html
    assert '<h1 id="hero-title">The club of IT leaders</h1>' in html
    assert "Promoting the ICT sector." in html
    assert NOTICE not in html
    assert "Le club des dirigeants" not in html


def test_french_home_stays_french(client, english):
    html = client.get("/").content.decode()
    assert '<html lang="fr">' in html
    assert "Le club des dirigeants de l&#x27;informatique" in html
    assert "The club of IT leaders" not in html


def test_english_club_page_is_served_under_its_english_address(client, english):
    response = client.get("/en/the-club/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>The club</h1>" in html and "An independent club." in html
    assert NOTICE not in html


def test_an_untranslated_members_page_under_en_is_french_content_in_the_english_interface(client, english):
    client.force_login(make_member("basic"))
    response = client.get("/en/espace/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html and "Log out" in html
    assert '<h1 lang="fr">Espace des membres</h1>' in html
    assert "This page is in French." in html


def test_an_address_nobody_has_is_still_a_404_under_en(client, english):
    assert client.get("/en/nulle-part/").status_code == 404
    assert client.get("/en/the-club/nulle-part/").status_code == 404


def test_the_switcher_links_a_page_to_its_translation(client, english):
    html = client.get("/le-club/").content.decode()
    assert 'href="/en/the-club/" lang="en" hreflang="en"' in html
    html = client.get("/en/the-club/").content.decode()
    assert 'href="/le-club/" lang="fr" hreflang="fr"' in html
    # A page without a translation: the same page in the other interface.
    client.force_login(make_member("basic"))
    html = client.get("/en/espace/").content.decode()
    assert 'href="/espace/" lang="fr" hreflang="fr"' in html


def test_the_english_menu_links_english_pages_and_french_ones_in_the_english_interface(client, english):
    client.force_login(make_member("basic"))
    menu = client.get("/en/").content.decode().split('class="site-nav"')[1].split("</nav>")[0]
    assert '<a href="/en/the-club/">The club</a>' in menu
    assert '<a href="/en/espace/" lang="fr">Espace des membres</a>' in menu
    # Each page once, in one language; then the members' directory and the discussions, which are no pages.
    assert menu.count("<li>") == 4 and 'data-testid="nav-directory"' in menu and 'data-testid="nav-discussions"' in menu
    menu = client.get("/").content.decode().split('class="site-nav"')[1].split("</nav>")[0]
    assert ">Le club</a>" in menu and "The club" not in menu and menu.count("<li>") == 4


def test_the_english_footer_links_the_english_club_page_and_the_french_contact_page_in_english(client, english):
    from home.models import ClubSettings

    contact = StandardPageFactory(parent=english["french_club"].get_parent(), slug="contact", title="Contact")
    club = ClubSettings.for_site(english["french_club"].get_site())
    club.club_page, club.contact_page = english["french_club"], contact
    club.save()

    footer = client.get("/en/").content.decode().split('class="site-footer"')[1]
    assert '<a href="/en/the-club/">The club</a>' in footer
    assert '<a href="/en/contact/" lang="fr">Contact</a>' in footer
    footer = client.get("/").content.decode().split('class="site-footer"')[1]
    assert '<a href="/le-club/">Le club</a>' in footer and "The club" not in footer


def test_translated_pages_have_the_same_audience_as_their_original(english):
    for key in ("home", "club"):
        translated = english[key]
        original = Page.objects.get(translation_key=translated.translation_key, locale__language_code="fr")
        row, original_row = PageAudience.objects.get(page=translated), PageAudience.objects.get(page=original)
        assert (row.know, row.read) == (original_row.know, original_row.read)


def test_the_policy_holds_under_en_for_a_premium_article(client, english, home_page):
    watch = TechWatchIndexPageFactory(parent=home_page)
    article = make_article(watch, audience="premium")
    client.force_login(make_member("basic"))
    response = client.get(f"/en/veille/{article.slug}/")
    assert response.status_code == 200
    assert BODY_MARKER not in response.content.decode()
    client.force_login(make_member("premium"))
    assert BODY_MARKER in client.get(f"/en/veille/{article.slug}/").content.decode()


def test_a_private_group_is_still_a_404_for_an_outsider_under_en(client, english, groups_index):
    member = make_member("premium")
    group = make_group(groups_index, visibility="private", members=[member])
    path = f"/en{group.url}"
    client.force_login(make_member("premium"))
    assert client.get(path).status_code == 404
    client.force_login(member)
    assert client.get(path).status_code == 200


def test_recently_published_lists_a_translated_article_once_in_the_readers_language(client, english, home_page):
    english_locale = Locale.objects.get(language_code="en")
    watch = TechWatchIndexPageFactory(parent=home_page)
    article = make_article(watch, audience="public", title="Le cloud souverain")
    translate_page(
        watch, english_locale, lambda french: {"Veille technologique": "Technology watch"}.get(french, french)
    )
    translate_page(
        article, english_locale, lambda french: {"Le cloud souverain": "The sovereign cloud"}.get(french, french)
    )
    client.force_login(make_member("basic"))
    latest = client.get("/").content.decode().split('data-testid="panel-latest-content"')[1].split("</section>")[0]
    assert latest.count("Le cloud souverain") == 1 and "The sovereign cloud" not in latest
    latest = client.get("/en/").content.decode().split('data-testid="panel-latest-content"')[1].split("</section>")[0]
    assert latest.count("The sovereign cloud") == 1 and "Le cloud souverain" not in latest
