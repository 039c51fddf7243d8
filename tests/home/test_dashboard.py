"""The home page becomes each member's dashboard; its lists go through the access policy."""

import datetime

import pytest
from django.utils import timezone

from members.models import Audience
from tests.factories.home import StandardPageFactory
from tests.factories.members import MembershipFactory, make_member, make_staff

pytestmark = pytest.mark.django_db


def test_visitors_get_the_public_landing(client, home_page):
    html = client.get("/").content.decode()
    assert 'data-testid="dashboard"' not in html
    assert "Le club des dirigeants" in html


def test_member_dashboard_shows_membership_charter_and_shortcuts(client, home_page):
    user = make_member("premium")
    client.force_login(user)
    html = client.get("/").content.decode()
    assert 'data-testid="dashboard"' in html
    assert "Premium" in html
    until = user.memberships.get().valid_until
    assert f"{until.year}" in html
    assert 'data-testid="charter-status"' in html
    assert "/membres/annuaire/" in html


def test_dashboard_warns_when_the_membership_ends_soon(client, home_page):
    user = make_member("basic")
    user.memberships.update(valid_until=timezone.localdate() + datetime.timedelta(days=10))
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "ends soon" in html or "prend bientôt fin" in html


def test_expired_member_sees_a_renewal_notice_and_keeps_the_account(client, home_page):
    client.force_login(make_member("premium", expired=True))
    html = client.get("/").content.decode()
    # Said once, in the membership card, with the way to act on it (the site-wide banner stays out).
    assert html.count('data-testid="renewal-notice"') == 1
    assert 'data-testid="renewal-banner"' not in html
    assert "/membres/formule/?kind=renewal" in html
    assert "/membres/annuaire/" not in html


def test_dashboard_lists_only_pages_the_member_may_know(client, home_page):
    StandardPageFactory(parent=home_page, title="Ouvert aux membres", audience=Audience.MEMBERS)
    StandardPageFactory(parent=home_page, title="Réservé premium", audience=Audience.PREMIUM)
    client.force_login(make_member("basic"))
    panel = client.get("/").content.decode().split('data-testid="panel-latest-pages"')[1]
    assert "Ouvert aux membres" in panel
    assert "Réservé premium" not in panel
    client.force_login(make_member("premium"))
    assert "Réservé premium" in client.get("/").content.decode()


def test_only_effective_members_and_staff_are_offered_to_invite(client, home_page):
    client.force_login(make_member("basic"))
    assert "/membres/inviter/" not in client.get("/").content.decode()
    client.force_login(make_member("basic", category="effective"))
    assert "/membres/inviter/" in client.get("/").content.decode()
    client.force_login(make_staff())
    assert "/membres/inviter/" in client.get("/").content.decode()


@pytest.mark.parametrize("extra", [0, 25])
def test_dashboard_costs_a_fixed_number_of_queries(client, home_page, django_assert_max_num_queries, extra):
    from django.contrib.auth.models import Group

    user = make_member("premium")
    user.groups.add(*[Group.objects.create(name=f"Groupe {n}") for n in range(extra)])
    for n in range(extra):
        MembershipFactory(user=user, tier="basic", valid_from=timezone.localdate() - datetime.timedelta(days=800 + n))
        StandardPageFactory(parent=home_page, title=f"Page {n}", audience=Audience.MEMBERS)
    client.force_login(user)
    client.get("/")
    with django_assert_max_num_queries(14):  # measured 14: 13, and the watch panel finding no article
        assert client.get("/").status_code == 200
