"""Two languages cost no query per page: the locales are read once, and `/en/` reaches a French page the
English tree lacks through the home page Wagtail already loaded (DESIGN.md, performance targets)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page

from tests.factories.home import StandardPageFactory
from tests.factories.knowledge import TechWatchIndexPageFactory, make_article
from tests.factories.members import make_member

pytestmark = pytest.mark.django_db

# Measured on Wagtail 8.0.1 / SQLite, warm. A French article under /en/ pays Wagtail's look-up of the English
# home (2) and the English tree's miss before the French tree routes it (1), nothing for the locale.
EN_ARTICLE_BUDGET = {"visitor": 11, "member": 16}


def translate(page, locale):
    translation = page.specific.copy_for_translation(locale)
    translation.save_revision().publish()
    return translation


def captured(client, url):
    for _warm_up in range(2):  # the session, the site's root paths, the menu and footer caches
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_serving_a_page_reads_no_locale(client, home_page):
    locale_queries = [sql for sql in captured(client, "/") if "wagtailcore_locale" in sql]
    assert locale_queries == []


def test_a_locale_added_or_removed_is_seen_at_once(home_page):
    english = Locale.objects.get(language_code="en")
    assert Locale.objects.get_for_language("en").pk == english.pk
    english.delete()
    with pytest.raises(Locale.DoesNotExist):
        Locale.objects.get_for_language("en")
    again = Locale.objects.create(language_code="en")
    assert Locale.objects.get_for_language("en").pk == again.pk


@pytest.mark.parametrize("viewer", list(EN_ARTICLE_BUDGET))
def test_a_french_article_under_en_costs_the_same_with_2_or_20_translated_pages(
    client, home_page, viewer, django_assert_max_num_queries
):
    english = Locale.objects.get(language_code="en")
    translate(home_page, english)
    watch = TechWatchIndexPageFactory(parent=home_page)
    article = make_article(watch, audience="public")
    if viewer == "member":
        client.force_login(make_member("premium"))
    url = f"/en{article.url}"
    counts = []
    for translated in (2, 20):
        while Page.objects.filter(locale=english).count() < translated + 1:  # the English home and its translated pages
            translate(StandardPageFactory(parent=home_page, show_in_menus=True), english)
        counts.append(len(captured(client, url)))
    assert counts[1] == counts[0], counts
    with django_assert_max_num_queries(EN_ARTICLE_BUDGET[viewer]):
        assert client.get(url).status_code == 200
