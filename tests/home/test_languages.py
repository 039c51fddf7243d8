"""English that is honest: content says the language it is written in (WCAG 3.1.2).

The interface speaks the URL's language (`/` French, `/en/` English); a page's content is in its locale's
language. French content shown under `/en/` carries `lang="fr"` and a notice; under `/` it needs neither.
"""

import pytest

from tests.factories.home import StandardPageFactory
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
