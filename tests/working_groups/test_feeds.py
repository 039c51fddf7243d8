"""Each group's Atom feed of meeting notes: opened by the member's personal secret, answered by the
access policy for that member, and carrying titles, links, dates and places, never the notes' content."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, PageViewRestriction

from members import services
from members.models import Profile
from tests.factories.members import UserFactory, make_member
from tests.factories.working_groups import MeetingNotePageFactory, make_group
from working_groups.feeds import FEED_SIZE, feed_url_for

pytestmark = pytest.mark.django_db

MARKER = "DECISION-CONFIDENTIELLE-9087"  # only in the notes' agenda
RESET = reverse("members:reset_feed_token")


def feed_path(group, token):
    return reverse("working_groups:feed", args=[group.pk, token])


def note_in(group, title, **fields):
    return MeetingNotePageFactory(parent=group, title=title, agenda=f"<p>{MARKER}</p>", **fields)


@pytest.fixture
def member():
    return make_member()


@pytest.fixture
def group(groups_index, member):
    group = make_group(groups_index, title="Atelier Données", members=[member])
    note_in(group, "Réunion de janvier", place="Liège")
    note_in(group, "Réunion de février", place="Mons")
    return group


def test_a_member_reads_the_group_feed_with_titles_links_and_places_but_no_content(client, group, member):
    response = client.get(feed_path(group, services.feed_token_for(member)))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert "Réunion de janvier" in xml and "Réunion de février" in xml
    assert "Liège" in xml and "Mons" in xml
    assert "http://testserver/groupes/atelier-donnees/reunion-de-janvier/" in xml  # absolute links
    assert MARKER not in xml


def test_the_feed_is_never_cached_nor_indexed(client, group, member):
    response = client.get(feed_path(group, services.feed_token_for(member)))

    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_the_feed_holds_the_latest_notes_newest_first(client, groups_index, member):
    group = make_group(groups_index, members=[member])
    now = timezone.now()
    for n in range(FEED_SIZE + 1):
        note = note_in(group, f"Séance numéro {n:02d}")
        type(note).objects.filter(pk=note.pk).update(last_published_at=now - datetime.timedelta(days=FEED_SIZE - n))

    xml = client.get(feed_path(group, services.feed_token_for(member))).content.decode()

    assert xml.count("<entry>") == FEED_SIZE
    assert "Séance numéro 00" not in xml  # the oldest
    assert xml.index(f"Séance numéro {FEED_SIZE:02d}") < xml.index(f"Séance numéro {FEED_SIZE - 1:02d}")


def test_the_feed_leaves_out_notes_the_member_may_not_read(client, group, member):
    staff_only = note_in(group, "Réunion réservée au secrétariat")
    PageViewRestriction.objects.create(page=staff_only, restriction_type=PageViewRestriction.PASSWORD, password="x")

    xml = client.get(feed_path(group, services.feed_token_for(member))).content.decode()

    assert "Réunion de janvier" in xml
    assert "Réunion réservée au secrétariat" not in xml


def test_a_wrong_token_finds_nothing(client, group, member):
    services.feed_token_for(member)
    assert client.get(feed_path(group, "pas-le-bon-secret")).status_code == 404


def test_an_empty_token_finds_nothing(client, group):
    UserFactory()  # people without a feed secret yet must not be found by an empty one
    assert client.get(f"/groupes/{group.pk}/flux//").status_code == 404
    assert client.get(f"/groupes/{group.pk}/flux/").status_code == 404


def test_an_unknown_group_finds_nothing(client, group, member):
    token = services.feed_token_for(member)
    assert client.get(reverse("working_groups:feed", args=[group.pk + 1000, token])).status_code == 404


def test_the_feed_stops_when_the_club_membership_ends(client, groups_index):
    lapsed = make_member(expired=True)
    group = make_group(groups_index, members=[lapsed])
    note_in(group, "Réunion d'hiver")

    assert client.get(feed_path(group, services.feed_token_for(lapsed))).status_code == 404


def test_the_feed_stops_when_the_account_is_closed(client, group, member):
    token = services.feed_token_for(member)
    member.is_active = False
    member.save()

    assert client.get(feed_path(group, token)).status_code == 404


def test_an_outsider_finds_no_feed_for_a_private_group(client, groups_index):
    insider, outsider = make_member(), make_member()
    private = make_group(groups_index, visibility="private", join_policy="invitation", members=[insider])
    make_group(groups_index, members=[outsider])
    note_in(private, "Réunion confidentielle")

    assert client.get(feed_path(private, services.feed_token_for(outsider))).status_code == 404
    assert client.get(feed_path(private, services.feed_token_for(insider))).status_code == 200


def test_the_feed_of_a_private_group_stops_when_the_member_leaves_it(client, groups_index, member):
    private = make_group(groups_index, visibility="private", join_policy="invitation", members=[member])
    token = services.feed_token_for(member)
    assert client.get(feed_path(private, token)).status_code == 200

    private.memberships.filter(user=member).delete()

    assert client.get(feed_path(private, token)).status_code == 404


def test_a_basic_member_inside_a_premium_cluster_finds_no_feed(client, groups_index):
    premium, basic = make_member("premium"), make_member("basic")
    cluster = make_group(groups_index, kind="cluster", visibility="premium", leads=[premium], members=[basic])
    note_in(cluster, "Réunion de la grappe")

    assert client.get(feed_path(cluster, services.feed_token_for(basic))).status_code == 404
    assert client.get(feed_path(cluster, services.feed_token_for(premium))).status_code == 200


# --- The personal secret ---------------------------------------------------------------------------


def test_the_feed_token_is_made_once_and_kept(db):
    user = UserFactory()  # no profile yet
    token = services.feed_token_for(user)

    assert len(token) >= 40
    assert services.feed_token_for(user) == token
    assert Profile.objects.get(user=user).feed_token == token


def test_after_a_reset_the_old_address_is_dead_and_the_new_one_works(client, group, member):
    old = services.feed_token_for(member)
    client.force_login(member)

    response = client.post(RESET)

    assert response.status_code == 302 and response["Location"] == reverse("members:profile")
    new = Profile.objects.get(user=member).feed_token
    assert new and new != old
    client.logout()  # a feed reader has no session
    assert client.get(feed_path(group, old)).status_code == 404
    assert client.get(feed_path(group, new)).status_code == 200


def test_a_reset_is_confirmed_to_the_member_and_audited(client, member):
    client.force_login(member)

    response = client.post(RESET, follow=True)

    assert len(list(response.context["messages"])) == 1
    entry = ModelLogEntry.objects.get(action="cercle.feed.reset")
    assert entry.user_id == member.pk
    assert Profile.objects.get(user=member).feed_token not in str(entry.data)


def test_a_reset_needs_a_post(client, member):
    token = services.feed_token_for(member)
    client.force_login(member)

    assert client.get(RESET).status_code == 405
    assert Profile.objects.get(user=member).feed_token == token


def test_a_reset_needs_a_logged_in_person(client, member):
    token = services.feed_token_for(member)

    response = client.post(RESET)

    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert Profile.objects.get(user=member).feed_token == token


def test_the_profile_page_explains_the_private_feeds_and_offers_a_reset(client, member):
    client.force_login(member)

    html = client.get(reverse("members:profile")).content.decode()

    section = html.split('data-testid="private-feeds"')[1].split("</section>")[0]
    assert f'action="{RESET}"' in section and 'method="post"' in section
    assert 'data-testid="reset-feed-token"' in section


# --- The address shown on the group's page ---------------------------------------------------------


def test_a_member_is_given_a_working_feed_address(client, rf, group, member):
    request = rf.get(group.url)
    request.user = member

    url = feed_url_for(request, group)

    assert url.startswith("http://testserver/groupes/")
    assert Profile.objects.get(user=member).feed_token in url
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("who", ["outsider", "basic_in_cluster", "expired", "anonymous"])
def test_no_feed_address_for_those_outside_the_group(rf, groups_index, who):
    from django.contrib.auth.models import AnonymousUser

    user = {
        "outsider": make_member,
        "basic_in_cluster": lambda: make_member("basic"),
        "expired": lambda: make_member(expired=True),
        "anonymous": AnonymousUser,
    }[who]()
    group = make_group(
        groups_index,
        kind="cluster" if who == "basic_in_cluster" else "thematic",
        visibility="premium" if who == "basic_in_cluster" else "members",
        members=[user] if who in ("basic_in_cluster", "expired") else [],
    )
    request = rf.get(group.url)
    request.user = user

    assert feed_url_for(request, group) is None
