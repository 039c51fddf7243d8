"""The dashboard with the page cache on: panels kept per entitlement never carry one person's data to
another, and the membership and charter cards come from the facts the session keeps, yet follow every
change at once."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone, translation

from members import entitlements, roles
from members.access import Viewer
from members.dashboard import Panel, context_for
from members.models import Category, Membership, Organisation
from opportunities.models import Interest, OpportunityPage
from tests.factories.members import (
    CharterFactory,
    OrganisationMembershipFactory,
    make_member,
    make_staff,
)
from tests.factories.opportunities import OpportunityIndexPageFactory, days_from_today, make_opportunity
from tests.factories.working_groups import MeetingNotePageFactory, make_group

pytestmark = [pytest.mark.django_db, pytest.mark.page_cache]


def dashboard(user):
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_panel_kept_for_some_viewers_only_is_computed_for_the_others(home_page):
    from django.test import RequestFactory

    computed = []

    def get_context(request, viewer):
        computed.append(viewer.user.pk)
        return {"who": viewer.user.pk}

    panel = Panel("probe-some", "unused.html", get_context, per_kind=lambda viewer: not viewer.is_staff)
    request = RequestFactory().get("/")
    first, second = make_member("basic"), make_member("basic")
    alice, bruno = make_staff(), make_staff()
    assert context_for(panel, request, Viewer(first)) == {"who": first.pk}
    assert context_for(panel, request, Viewer(second)) == {"who": first.pk}  # the same kind: kept
    assert context_for(panel, request, Viewer(alice)) == {"who": alice.pk}
    assert context_for(panel, request, Viewer(bruno)) == {"who": bruno.pk}  # staff share a kind: not kept
    assert computed == [first.pk, alice.pk, bruno.pk]


def test_a_kept_panel_is_computed_again_the_next_day(home_page):
    from django.test import RequestFactory

    computed = []
    panel = Panel("probe-day", "unused.html", lambda request, viewer: computed.append(1) or {}, per_kind=True)
    request = RequestFactory().get("/")
    user = make_member("basic")
    context_for(panel, request, Viewer(user))
    context_for(panel, request, Viewer(user))
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        context_for(panel, request, Viewer(user))
    assert len(computed) == 2


def test_staff_in_different_groups_each_see_their_own_groups(groups_index):
    alice, bruno = make_staff(), make_staff()
    hers = make_group(groups_index, title="Groupe d'Alice", visibility="private", members=[alice])
    his = make_group(groups_index, title="Groupe de Bruno", visibility="private", members=[bruno])
    MeetingNotePageFactory(parent=hers, title="Note d'Alice")
    first, second = dashboard(alice), dashboard(bruno)
    assert f'data-testid="my-group-{hers.pk}"' in first and f'data-testid="my-group-{his.pk}"' not in first
    assert f'data-testid="my-group-{his.pk}"' in second and f'data-testid="my-group-{hers.pk}"' not in second
    assert "Note d&#x27;Alice" not in second


def test_a_private_groups_panel_kept_for_its_member_never_reaches_a_member_of_another_group(groups_index):
    inside, outside = make_member("basic"), make_member("basic")
    secret = make_group(groups_index, title="Cercle restreint", visibility="private", members=[inside])
    other = make_group(groups_index, title="Autre groupe", members=[outside])
    MeetingNotePageFactory(parent=secret, title="Compte rendu restreint")
    assert "Compte rendu restreint" in dashboard(inside)
    html = dashboard(outside)
    assert "Compte rendu restreint" not in html and f'data-testid="my-group-{other.pk}"' in html


def test_joining_a_group_shows_it_on_the_dashboard_at_once(groups_index):
    from tests.factories.working_groups import GroupMembershipFactory

    user = make_member("basic")
    first = make_group(groups_index, title="Premier groupe", members=[user])
    second = make_group(groups_index, title="Second groupe")
    assert f'data-testid="my-group-{second.pk}"' not in dashboard(user)
    GroupMembershipFactory(group=second, user=user)
    html = dashboard(user)
    assert f'data-testid="my-group-{first.pk}"' in html and f'data-testid="my-group-{second.pk}"' in html


def test_each_premium_member_sees_their_own_interests_and_basic_members_share_the_teasers(home_page):
    index = OpportunityIndexPageFactory(parent=home_page)
    first = make_opportunity(index, title="Appel d'offres A", deadline=days_from_today(20))
    second = make_opportunity(index, title="Appel d'offres B", deadline=days_from_today(20))
    alice, bruno = make_member("premium"), make_member("premium")
    Interest.objects.create(opportunity=first, user=alice)
    Interest.objects.create(opportunity=second, user=bruno)
    hers, his = dashboard(alice), dashboard(bruno)
    assert f'data-testid="my-interest-{first.pk}"' in hers and f'data-testid="my-interest-{second.pk}"' not in hers
    assert f'data-testid="my-interest-{second.pk}"' in his and f'data-testid="my-interest-{first.pk}"' not in his
    for html in (dashboard(make_member("basic")), dashboard(make_member("basic"))):
        assert f'data-testid="teaser-{first.pk}"' in html and "my-interest-" not in html


def test_the_membership_card_comes_from_the_kept_facts_and_follows_a_renamed_organisation(home_page):
    seat = OrganisationMembershipFactory(organisation__name="Régie des eaux", seats=2)
    user = make_member("basic", category="effective")
    user.profile.organisation = seat.organisation
    user.profile.save()
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "Régie des eaux" in html and "Premium" in html  # the organisation's seat gives the better tier
    assert client.session[entitlements.SESSION_KEY]["card"]["seat"] == "Régie des eaux"
    organisation = Organisation.objects.get(pk=seat.organisation_id)
    organisation.name = "Eaux de la métropole"
    organisation.save()
    html = client.get("/").content.decode()
    assert "Eaux de la métropole" in html and "Régie des eaux" not in html
    organisation.delete()
    html = client.get("/").content.decode()
    assert "Eaux de la métropole" not in html
    assert client.session[entitlements.SESSION_KEY]["card"]["seat"] == ""


def test_the_membership_card_names_the_category_and_the_own_organisation(home_page):
    user = make_member("premium", category="effective")
    membership = Membership.objects.get(user=user)
    membership.organisation = Organisation.objects.create(name="Mutuelle du Nord", kind="sme")
    membership.save()
    with translation.override("en"):
        label = str(Category.EFFECTIVE.label)
    html = dashboard(user)
    assert "Mutuelle du Nord" in html
    with translation.override("fr"):
        assert str(Category.EFFECTIVE.label) in html and label not in html


def test_a_new_charter_version_is_named_at_once(home_page):
    user = make_member("basic")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    client.get("/")
    CharterFactory(version="9.1", effective_date=timezone.localdate())
    html = client.get("/").content.decode()
    assert "9.1" in html and 'data-testid="charter-status"' in html


def test_facts_kept_by_an_earlier_release_are_computed_again(home_page):
    user = make_member("basic")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    client.get("/")
    session = client.session
    kept = dict(session[entitlements.SESSION_KEY])
    assert entitlements.facts_from_session(session, user.pk) is not None
    del kept["version"], kept["card"]
    session[entitlements.SESSION_KEY] = kept
    session.save()
    assert entitlements.facts_from_session(session, user.pk) is None
    assert client.get("/").status_code == 200
    assert client.session[entitlements.SESSION_KEY]["version"] == entitlements.FACTS_VERSION


def panels_of(html):
    """The dashboard's panels, as rendered (each panel is a <section> that names itself)."""
    return re.findall(r'<section class="dashboard__panel".*?</section>', html, re.S)


def test_with_the_cache_on_every_kind_of_viewer_gets_the_same_panels_as_with_it_off(groups_index, settings):
    """Each kind of viewer DESIGN.md names meets the dashboard after all the others, with the panels kept per
    kind; what each one is shown must be what the panels give them when nothing is kept."""
    from tests.factories.knowledge import TechWatchIndexPageFactory, make_article

    member, outsider, lead, staff = make_member("basic"), make_member("basic"), make_member("premium"), make_staff()
    board = make_group(
        groups_index, title="Conseil restreint", visibility="private", leads=[lead], members=[member, staff]
    )
    other = make_group(groups_index, title="Achats publics", members=[outsider])
    cluster = make_group(groups_index, title="Grappe données", kind="cluster", visibility="premium", members=[lead])
    for group in (board, other, cluster):
        MeetingNotePageFactory(parent=group, title=f"Note de {group.title}")
    watch = TechWatchIndexPageFactory(parent=groups_index.get_parent())
    make_article(watch, title="Article premium", audience="premium")
    make_article(watch, title="Article des membres", audience="members")
    opportunities = OpportunityIndexPageFactory(parent=groups_index.get_parent())
    make_opportunity(opportunities, title="Marché ouvert", deadline=days_from_today(3))
    premium = make_member("premium")
    Interest.objects.create(opportunity=OpportunityPage.objects.get(title="Marché ouvert"), user=premium)
    people = {
        "basic": make_member("basic"),
        "premium": premium,
        "premium, no interest": make_member("premium"),  # the same kind as `premium`
        "expired": make_member("premium", expired=True),
        "unsigned": make_member("premium", signed=False),
        "group member": member,
        "outsider": outsider,
        "lead": lead,
        "editor": make_member("basic", roles_=[roles.TECHWATCH_EDITORS]),
        "staff": staff,  # in the board
        "other staff": make_staff(),  # the same kind as `staff`, in no group
    }
    clients = {}
    for kind, user in people.items():
        clients[kind] = Client(HTTP_HOST="localhost")
        clients[kind].force_login(user)

    def everyone(order):
        return {kind: panels_of(clients[kind].get("/").content.decode()) for kind in order}

    kept = everyone(list(people))
    kept_again = everyone(reversed(list(people)))  # now each one after those who came after them
    settings.CERCLE_PAGE_CACHE_SECONDS = 0
    fresh = everyone(list(people))
    for kind in people:
        assert kept[kind] == fresh[kind], kind
        assert kept_again[kind] == fresh[kind], kind
    assert "Note de Conseil restreint" in "".join(fresh["group member"])
    assert "Note de Conseil restreint" in "".join(fresh["staff"])
    assert "Note de Conseil restreint" not in "".join(fresh["outsider"] + fresh["basic"] + fresh["other staff"])
    assert "my-interest-" in "".join(fresh["premium"]) and "my-interest-" not in "".join(fresh["premium, no interest"])
