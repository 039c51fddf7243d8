"""An id too large for the database is a 404 (or the page's own refusal), never a 500, for everyone."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from members.converters import LARGEST_ID
from members.services import feed_token_for
from tests.factories.members import make_member, make_staff
from tests.factories.working_groups import make_group

pytestmark = pytest.mark.django_db

HUGE_IDS = ["99999999999999999999", str(LARGEST_ID + 1)]
PROJECT_APPS = ("members", "knowledge", "working_groups", "home", "config")


@pytest.fixture
def viewers():
    return {"anonymous": None, "member": make_member("premium"), "staff": make_staff()}


def as_viewer(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("huge", HUGE_IDS)
@pytest.mark.parametrize("viewer", ["anonymous", "member", "staff"])
def test_group_pages_with_a_huge_id_are_not_found(client, groups_index, viewers, viewer, huge):
    user = viewers[viewer]
    client = as_viewer(client, user)
    token = feed_token_for(user) if user else "not-a-token"

    assert client.get(f"/groupes/{huge}/membres/").status_code == 404
    assert client.post(f"/groupes/{huge}/membres/", {"action": "add"}).status_code == 404
    assert client.post(f"/groupes/{huge}/rejoindre/").status_code == 404
    assert client.post(f"/groupes/{huge}/quitter/").status_code == 404
    assert client.get(f"/groupes/{huge}/flux/{token}/").status_code == 404
    assert client.get(f"/en/groupes/{huge}/membres/").status_code == 404


@pytest.mark.parametrize("huge", HUGE_IDS)
@pytest.mark.parametrize("viewer", ["anonymous", "member"])
def test_member_profiles_and_error_reports_with_a_huge_id_are_not_found(client, home_page, viewers, viewer, huge):
    client = as_viewer(client, viewers[viewer])

    assert client.get(f"/membres/{huge}/").status_code == 404
    assert client.post(f"/signaler/{huge}/", {"message": "Une coquille."}).status_code == 404


def test_a_huge_membership_id_in_the_members_form_is_not_understood(client, groups_index):
    lead = make_member("premium")
    group = make_group(groups_index, leads=[lead])
    client.force_login(lead)

    response = client.post(f"/groupes/{group.pk}/membres/", {"action": "approve", "membership": HUGE_IDS[0]})

    assert response.status_code == 400


def test_the_largest_id_the_database_holds_is_still_looked_up(client, groups_index):
    client.force_login(make_member("premium"))

    assert client.get(f"/groupes/{LARGEST_ID}/membres/").status_code == 404
    assert client.get(f"/membres/{LARGEST_ID}/").status_code == 404


def project_routes(resolver=None, prefix=""):
    """Every URL pattern of the project's own apps, with its full route and its converters."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from project_routes(entry, route)
        elif isinstance(entry, URLPattern):
            module = getattr(entry.callback, "__module__", "") or ""
            if module.split(".")[0] in PROJECT_APPS:
                yield route, entry


def test_the_sites_own_urls_take_database_ids_not_unbounded_numbers():
    # The admin's edit and delete URLs are Wagtail's (its model viewsets); the sweep below covers them.
    unbounded = [route for route, entry in project_routes() if "<int:" in route and not route.startswith("admin/")]

    assert unbounded == []


def test_every_project_url_with_an_id_answers_a_huge_one_without_error(client, home_page):
    client.force_login(make_staff())
    routes = [route for route, entry in project_routes() if "<id:" in route or "<int:" in route]
    assert len(routes) >= 20  # the groups', the profiles', the error reports' and the admin's

    for route in routes:
        url = "/" + re.sub(r"<(id|int):\w+>", HUGE_IDS[0], route)
        url = re.sub(r"<str:\w+>", "x", url)
        for method in (client.get, client.post):
            status = method(url).status_code
            assert status in (302, 400, 403, 404, 405), (url, status)
