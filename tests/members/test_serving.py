"""Pages answer each viewer as the design's table says: full page, login, charter, 403 or 404."""

import pytest
from django.contrib.auth.models import AnonymousUser
from wagtail.models import Page

from members.models import Audience, PageAudience
from tests.factories.home import StandardPageFactory
from tests.factories.members import UserFactory, make_member, make_staff

# With the page cache on: every answer of the table holds when pages are kept (members/page_cache.py).
pytestmark = [pytest.mark.django_db, pytest.mark.page_cache]

BODY = "Le compte rendu confidentiel du conseil"


@pytest.fixture
def members_page(home_page):
    return StandardPageFactory(
        parent=home_page, slug="espace", title="Espace membres", audience=Audience.MEMBERS, introduction=BODY
    )


@pytest.fixture
def premium_page(home_page):
    return StandardPageFactory(
        parent=home_page, slug="grappe", title="Grappe Web", audience=Audience.PREMIUM, introduction=BODY
    )


def viewer_user(kind):
    return {
        "anonymous": lambda: None,
        "basic": lambda: make_member("basic"),
        "premium": lambda: make_member("premium"),
        "expired": lambda: make_member("premium", expired=True),
        "unsigned": lambda: make_member("basic", signed=False),
        "no_membership": lambda: UserFactory(),
        "staff": make_staff,
    }[kind]()


@pytest.mark.parametrize(
    ("kind", "status", "location"),
    [
        ("anonymous", 302, "/compte/connexion/?next=/espace/"),
        ("basic", 200, None),
        ("premium", 200, None),
        ("expired", 403, None),
        ("unsigned", 302, "/charte/?next=%2Fespace%2F"),
        ("no_membership", 403, None),
        ("staff", 200, None),
    ],
)
def test_members_page_answers_each_viewer(client, members_page, kind, status, location):
    user = viewer_user(kind)
    if user:
        client.force_login(user)
    response = client.get("/espace/")
    assert response.status_code == status
    if location:
        assert response["Location"] == location
    assert (BODY in response.content.decode()) == (status == 200)


def test_expired_member_gets_a_renewal_notice_not_the_page(client, members_page):
    client.force_login(make_member("premium", expired=True))
    response = client.get("/espace/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "renew" in html.lower() or "renouvel" in html.lower()
    assert BODY not in html


def test_basic_member_gets_a_403_that_explains_the_premium_tier(client, premium_page):
    client.force_login(make_member("basic"))
    response = client.get("/grappe/")
    assert response.status_code == 403
    assert "premium" in response.content.decode().lower()
    assert BODY not in response.content.decode()


def test_premium_member_reads_the_premium_section(client, premium_page):
    client.force_login(make_member("premium"))
    assert BODY in client.get("/grappe/").content.decode()


def test_a_private_page_is_a_404_for_outsiders_and_staff_see_it(client, home_page):
    page = StandardPageFactory(parent=home_page, slug="conseil", title="Conseil", introduction=BODY)
    PageAudience.objects.filter(page=page).update(know=Audience.GROUP, read=Audience.GROUP, group_id=99)
    client.force_login(make_member("premium"))
    assert client.get("/conseil/").status_code == 404
    client.logout()
    assert client.get("/conseil/").status_code == 404
    client.force_login(make_staff())
    assert client.get("/conseil/").status_code == 200


def test_menu_shows_member_pages_only_to_members(client, home_page):
    StandardPageFactory(parent=home_page, title="Réservé aux membres", audience=Audience.MEMBERS, show_in_menus=True)
    StandardPageFactory(parent=home_page, title="Réservé premium", audience=Audience.PREMIUM, show_in_menus=True)

    def menu():
        return client.get("/").content.decode().split('class="site-nav"')[1].split("</nav>")[0]

    assert "Réservé aux membres" not in menu()
    client.force_login(make_member("basic"))
    assert "Réservé aux membres" in menu() and "Réservé premium" not in menu()
    client.force_login(make_member("premium", expired=True))
    assert "Réservé aux membres" not in menu()
    client.force_login(make_member("premium"))
    assert "Réservé premium" in menu()


def test_pages_added_without_signals_are_hidden_until_their_audience_is_computed(home_page):
    from members.access import Viewer, filter_pages, refresh_missing_audiences

    page = StandardPageFactory(parent=home_page, audience="")
    PageAudience.objects.filter(page=page).delete()
    anonymous = Viewer(AnonymousUser())
    assert not filter_pages(anonymous, Page.objects.filter(pk=page.pk)).exists()
    refresh_missing_audiences()
    assert filter_pages(anonymous, Page.objects.filter(pk=page.pk)).exists()


def test_member_page_costs_a_fixed_number_of_queries(client, members_page, django_assert_max_num_queries):
    from tests.factories.members import MembershipFactory

    user = make_member("premium")
    for _ in range(10):
        MembershipFactory(user=user, tier="basic")
    client.force_login(user)
    client.get("/espace/")
    with django_assert_max_num_queries(15):  # measured 15 (a plain Wagtail page: 12-14)
        assert client.get("/espace/").status_code == 200
