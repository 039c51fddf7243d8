"""Pages holding a private feed address, the profile and the directory: Cache-Control: private, no-store."""

import pytest
from django.urls import reverse

from members.services import feed_token_for
from tests.factories.knowledge import TechWatchIndexPageFactory
from tests.factories.members import make_member
from tests.factories.working_groups import make_group

pytestmark = pytest.mark.django_db


def cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def assert_kept_out_of_caches(response):
    assert response.status_code == 200
    directives = cache_control(response)
    assert {"private", "no-store"} <= directives
    assert "public" not in directives


def test_the_watch_page_with_a_members_feed_address_is_not_stored(client, home_page):
    watch = TechWatchIndexPageFactory(parent=home_page)
    member = make_member("premium")
    client.force_login(member)

    response = client.get(watch.url)

    assert feed_token_for(member) in response.content.decode()
    assert_kept_out_of_caches(response)


def test_the_watch_page_of_a_visitor_holds_no_secret_and_stays_cacheable(client, home_page):
    watch = TechWatchIndexPageFactory(parent=home_page)

    response = client.get(watch.url)

    assert response.status_code == 200
    assert 'data-testid="personal-feed"' not in response.content.decode()
    assert "no-store" not in cache_control(response)


def test_the_group_page_showing_a_members_feed_address_is_not_stored(client, groups_index):
    member = make_member("premium")
    group = make_group(groups_index, members=[member])
    client.force_login(member)

    response = client.get(group.url)

    assert feed_token_for(member) in response.content.decode()
    assert_kept_out_of_caches(response)


@pytest.mark.parametrize("tier", ["basic", "premium"])
def test_the_profile_page_is_not_stored(client, home_page, tier):
    member = make_member(tier)
    client.force_login(member)

    assert_kept_out_of_caches(client.get(reverse("members:profile")))


def test_the_expired_members_profile_page_is_not_stored(client, home_page):
    client.force_login(make_member("premium", expired=True))

    assert_kept_out_of_caches(client.get(reverse("members:profile")))


def test_the_directory_is_not_stored(client, home_page):
    client.force_login(make_member())

    assert_kept_out_of_caches(client.get(reverse("members:directory")))


def test_a_members_profile_is_not_stored(client, home_page):
    client.force_login(make_member())
    other = make_member()

    assert_kept_out_of_caches(client.get(reverse("members:profile_detail", args=[other.pk])))


def test_a_refusal_of_the_directory_is_not_stored_either(client, home_page):
    response = client.get(reverse("members:directory"))

    assert response.status_code == 302
    assert "no-store" in cache_control(response)
