"""Wagtail's user bar costs those who work in the admin (leads, the watch's editors and contributors,
staff) no more than 4 SQL queries a page, and still offers them what Wagtail's own bar offers
(home/userbar.py, issue 13).

The bar's cost is measured as the difference between the same second request (session and caches warm)
with and without it, so that the access policy's own queries (the Viewer) are not counted as the bar's.
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar as wagtails_own_userbar
from wagtail.users.models import UserProfile

import home.templatetags.userbar_tags as userbar_tags
from members import roles
from tests.factories.knowledge import TechWatchIndexPageFactory, make_article
from tests.factories.members import make_member, make_staff
from tests.factories.working_groups import make_group, make_lead

pytestmark = pytest.mark.django_db

USERBAR_BUDGET = 4  # issue 13; measured: 3 (permissions, admin profile, page permissions), +1 for the parent
# page where "Show in Explorer" is offered and the page has not loaded it; Wagtail's own bar: 5 to 8
USERBAR_MARK = "<wagtail-userbar>"


@pytest.fixture
def club(home_page, groups_index):
    """Two groups (one led by `lead`), the technology watch with one article, and one person of each
    kind who works in the admin."""
    staff = make_staff()
    own_group = make_group(groups_index, title="Gouvernance IT")
    other_group = make_group(groups_index, title="Sécurité")
    lead = make_lead(own_group, by=staff)
    watch = TechWatchIndexPageFactory(parent=home_page)
    article = make_article(watch, audience="members")
    return {
        "pages": {"own_group": own_group, "other_group": other_group, "article": article},
        "people": {
            "lead": lead,
            "editor": make_member("premium", roles_=[roles.TECHWATCH_EDITORS]),
            "contrib": make_member("premium", roles_=[roles.TECHWATCH_CONTRIBUTORS]),
            "staff": staff,
        },
    }


def logged_in(user, url):
    """A client of `user` whose session and the caches are warm for `url`."""
    client = Client()
    client.force_login(user)
    assert client.get(url).status_code == 200
    return client


def measured(client, url):
    """The page and the number of its queries."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(captured.captured_queries)


def second_request(user, url):
    return measured(logged_in(user, url), url)


def userbar_items(html):
    """The admin addresses the bar links to, and whether it offers the content checker."""
    items = re.search(r'<ul aria-labelledby="wagtail-userbar-trigger".*?</ul>', html, re.S)
    assert items, "no user bar on the page"
    links = re.findall(r'href="[^"]*?(/admin/[^"]*)"', items.group(0))
    return links, "checker-trigger" in items.group(0)


def edit_link(page):
    return f"/admin/pages/{page.pk}/edit/"


def bar_replaced_by(monkeypatch, render):
    monkeypatch.setattr(userbar_tags, "render_userbar", lambda context, page, position="bottom-right": render(context))


@pytest.mark.parametrize("person", ["lead", "editor", "contrib", "staff"])
@pytest.mark.parametrize("page", ["own_group", "other_group", "article"])
def test_the_user_bar_costs_at_most_four_queries_and_offers_what_wagtails_own_offers(club, monkeypatch, person, page):
    user, url = club["people"][person], club["pages"][page].url
    client = logged_in(user, url)

    bar_replaced_by(monkeypatch, lambda context: "")
    without_bar, queries_without_bar = measured(client, url)
    monkeypatch.undo()
    with_bar, queries_with_bar = measured(client, url)
    bar_replaced_by(monkeypatch, lambda context: wagtails_own_userbar(context, "bottom-right"))
    with_wagtails_bar, _queries = measured(client, url)

    assert USERBAR_MARK in with_bar and USERBAR_MARK not in without_bar
    assert queries_with_bar - queries_without_bar <= USERBAR_BUDGET
    assert userbar_items(with_bar) == userbar_items(with_wagtails_bar)


def test_members_without_an_admin_role_get_no_user_bar(club):
    html, _queries = second_request(make_member("premium"), club["pages"]["article"].url)

    assert USERBAR_MARK not in html


def test_a_lead_may_edit_their_groups_page_and_no_other(club):
    lead, pages = club["people"]["lead"], club["pages"]

    own_links, checker = userbar_items(second_request(lead, pages["own_group"].url)[0])
    other_links, _checker = userbar_items(second_request(lead, pages["other_group"].url)[0])

    assert edit_link(pages["own_group"]) in own_links
    assert f"/admin/pages/{pages['own_group'].pk}/add_subpage/" in own_links  # a meeting note
    assert checker
    assert other_links == ["/admin/"]


def test_the_watchs_editors_may_edit_an_article(club):
    article = club["pages"]["article"]

    for person in ("editor", "contrib", "staff"):
        links, _checker = userbar_items(second_request(club["people"][person], article.url)[0])
        assert edit_link(article) in links, person


def test_off_the_page_tree_the_user_bar_leads_to_the_admin(club):
    """A view that is no page (the directory) gets the admin link and the content checker."""
    lead = club["people"]["lead"]
    client = logged_in(lead, reverse("members:directory"))

    html, _queries = measured(client, reverse("members:directory"))

    assert userbar_items(html) == (["/admin/"], True)


def test_the_user_bar_speaks_the_admin_language_of_the_person(club):
    lead, page = club["people"]["lead"], club["pages"]["own_group"]

    assert "Modifier cette page" in second_request(lead, page.url)[0]
    UserProfile.objects.create(user=lead, preferred_language="en")
    assert "Edit this page" in second_request(lead, page.url)[0]


def test_the_user_bar_writes_nothing(club):
    """Wagtail's bar creates an admin profile for whoever has none, on a GET; this one reads it only."""
    second_request(club["people"]["editor"], club["pages"]["article"].url)

    assert not UserProfile.objects.filter(user=club["people"]["editor"]).exists()
