import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission

from members import roles

pytestmark = pytest.mark.django_db


def test_a_fresh_install_has_the_clubs_roles():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Membres",
        "Membres premium",
        "Responsables de groupe",
        "Rédaction veille",
        "Gestion du club",
    }


def test_staff_may_use_the_admin_and_edit_the_whole_tree_but_members_may_not():
    staff = Group.objects.get(name=roles.CLUB_STAFF)
    assert staff.permissions.filter(codename="access_admin").exists()
    assert GroupPagePermission.objects.filter(group=staff, page__depth=1, permission__codename="publish_page").exists()
    members = Group.objects.get(name=roles.MEMBERS)
    assert not members.permissions.exists()
    assert not GroupPagePermission.objects.filter(group=members).exists()


def test_syncing_roles_twice_adds_nothing():
    before = GroupPagePermission.objects.count()
    roles.sync_role_permissions()
    assert GroupPagePermission.objects.count() == before


def test_staff_and_watch_editors_manage_promoted_search_results_and_members_do_not():
    for name in (roles.CLUB_STAFF, roles.TECHWATCH_EDITORS):
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert {"add_searchpromotion", "change_searchpromotion", "delete_searchpromotion"} <= codenames
    for name in (roles.MEMBERS, roles.PREMIUM_MEMBERS, roles.GROUP_LEADS):
        assert not Group.objects.get(name=name).permissions.filter(codename__endswith="searchpromotion").exists()
