"""The access policy, table-driven: every viewer kind against every audience, per object and in SQL."""

import pytest
from django.contrib.auth.models import AnonymousUser
from wagtail.models import Page

from members import access
from members.models import Audience, PageAudience
from tests.factories.home import StandardPageFactory
from tests.factories.members import (
    OrganisationMembershipFactory,
    ProfileFactory,
    UserFactory,
    make_member,
    make_staff,
)

pytestmark = pytest.mark.django_db

GROUP_ID = 7


@pytest.fixture
def group_members():
    """A stand-in for the working-groups app: it tells the policy who belongs to which group."""
    members = {}

    def provider(user):
        return members.get(user.pk, set()), set()

    access.register_group_provider(provider)
    yield members
    access._group_providers.remove(provider)


def person_through_organisation(seats, position):
    """The `position`-th person (0-based) of an organisation with a premium membership of `seats` seats."""
    membership = OrganisationMembershipFactory(seats=seats)
    people = []
    for _ in range(position + 1):
        user = UserFactory()
        ProfileFactory(user=user, organisation=membership.organisation)
        people.append(user)
    from members.models import CharterSignature
    from tests.factories.members import current_charter

    CharterSignature.objects.create(user=people[-1], charter=current_charter())
    return people[-1]


def make_viewer(kind, group_members):
    if kind == "anonymous":
        return access.Viewer(AnonymousUser())
    if kind == "invited_not_accepted":
        return access.Viewer(UserFactory())  # an account with no membership yet
    if kind == "basic":
        return access.Viewer(make_member("basic"))
    if kind == "premium":
        return access.Viewer(make_member("premium"))
    if kind == "premium_through_organisation":
        return access.Viewer(person_through_organisation(seats=2, position=1))
    if kind == "organisation_over_its_seats":
        return access.Viewer(person_through_organisation(seats=1, position=1))
    if kind == "expired":
        return access.Viewer(make_member("premium", expired=True))
    if kind == "unsigned_charter":
        return access.Viewer(make_member("premium", signed=False))
    if kind == "group_member":
        user = make_member("basic")
        group_members[user.pk] = {GROUP_ID}
        return access.Viewer(user)
    if kind == "staff":
        return access.Viewer(make_staff())
    raise AssertionError(kind)


EXPECTED = {
    #                               public members premium group
    "anonymous": (True, False, False, False),
    "invited_not_accepted": (True, False, False, False),
    "basic": (True, True, False, False),
    "premium": (True, True, True, False),
    "premium_through_organisation": (True, True, True, False),
    "organisation_over_its_seats": (True, False, False, False),
    "expired": (True, False, False, False),
    "unsigned_charter": (True, False, False, False),
    "group_member": (True, True, False, True),
    "staff": (True, True, True, True),
}
AUDIENCES = [Audience.PUBLIC, Audience.MEMBERS, Audience.PREMIUM, Audience.GROUP]


@pytest.fixture
def pages(home_page):
    made = {}
    for audience in AUDIENCES:
        page = StandardPageFactory(parent=home_page, title=f"Pour {audience}", audience="")
        group_id = GROUP_ID if audience == Audience.GROUP else None
        PageAudience.objects.filter(page=page).update(know=audience, read=audience, group_id=group_id)
        made[audience] = Page.objects.get(pk=page.pk)
    return made


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_policy_per_object_and_in_sql_agree_with_the_contract(kind, pages, group_members):
    viewer = make_viewer(kind, group_members)
    per_object = tuple(access.can_read(viewer, pages[a]) for a in AUDIENCES)
    assert per_object == EXPECTED[kind]

    visible = set(access.filter_pages(viewer, Page.objects.filter(pk__in=[p.pk for p in pages.values()])))
    in_sql = tuple(pages[a] in visible for a in AUDIENCES)
    assert in_sql == per_object


def test_a_premium_article_is_a_teaser_for_basic_members_and_asks_anonymous_to_log_in(home_page):
    page = StandardPageFactory(parent=home_page)
    PageAudience.objects.filter(page=page).update(know=Audience.MEMBERS, read=Audience.PREMIUM)
    page = Page.objects.get(pk=page.pk)
    assert access.decide(access.Viewer(make_member("basic")), page).outcome == "teaser"
    assert access.decide(access.Viewer(make_member("premium")), page).outcome == "full"
    assert access.decide(access.Viewer(AnonymousUser()), page).outcome == "login"
    assert access.filter_pages(access.Viewer(make_member("basic")), Page.objects.filter(pk=page.pk)).exists()
    assert not access.filter_pages(
        access.Viewer(make_member("basic")), Page.objects.filter(pk=page.pk), need="read"
    ).exists()


@pytest.mark.parametrize(
    ("kind", "audience", "outcome", "reason"),
    [
        ("basic", Audience.PREMIUM, "forbidden", "premium"),
        ("expired", Audience.MEMBERS, "forbidden", "renewal"),
        ("unsigned_charter", Audience.MEMBERS, "charter", ""),
        ("anonymous", Audience.MEMBERS, "login", ""),
        ("basic", Audience.GROUP, "not_found", ""),
        ("anonymous", Audience.GROUP, "not_found", ""),
        ("invited_not_accepted", Audience.MEMBERS, "forbidden", "members"),
    ],
)
def test_refusals_follow_the_design_table(kind, audience, outcome, reason, pages, group_members):
    decision = access.decide(make_viewer(kind, group_members), pages[audience])
    assert (decision.outcome, decision.reason) == (outcome, reason)


def test_a_section_audience_is_inherited_until_a_page_sets_its_own(home_page):
    section = StandardPageFactory(parent=home_page, audience=Audience.MEMBERS)
    child = StandardPageFactory(parent=section, audience="")
    opened = StandardPageFactory(parent=section, audience=Audience.PUBLIC)
    grandchild = StandardPageFactory(parent=child, audience="")
    assert PageAudience.objects.get(page=child).know == Audience.MEMBERS
    assert PageAudience.objects.get(page=grandchild).know == Audience.MEMBERS
    assert PageAudience.objects.get(page=opened).know == Audience.PUBLIC

    section.audience = Audience.PREMIUM
    section.save_revision().publish()
    assert PageAudience.objects.get(page=grandchild).read == Audience.PREMIUM
    assert PageAudience.objects.get(page=opened).read == Audience.PUBLIC


def test_wagtail_privacy_settings_count_as_audiences(home_page):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    page = StandardPageFactory(parent=home_page, audience="")
    child = StandardPageFactory(parent=page, audience="")
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert PageAudience.objects.get(page=child).know == Audience.MEMBERS
    restriction.restriction_type = PageViewRestriction.GROUPS
    restriction.save()
    restriction.groups.add(Group.objects.get(name="Gestion du club"))
    assert PageAudience.objects.get(page=child).know == Audience.STAFF
    restriction.delete()
    assert PageAudience.objects.get(page=child).know == Audience.PUBLIC


def test_the_viewer_is_built_once_per_request(rf):
    request = rf.get("/")
    request.user = make_member("premium")
    assert access.Viewer.for_request(request) is access.Viewer.for_request(request)


def test_viewer_kind_names_entitlements_not_people():
    assert access.Viewer(make_member("premium")).kind == access.Viewer(make_member("premium")).kind
    assert access.Viewer(make_member("basic")).kind != access.Viewer(make_member("premium")).kind
