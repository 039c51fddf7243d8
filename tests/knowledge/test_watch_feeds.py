"""The watch's Atom feeds: the public one holds only public articles; a member's personal feed holds
teasers or full text as their tier says, and stops with their membership or a new secret."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from members import services as member_services
from tests.factories.knowledge import BODY_MARKER, COMMENTARY_MARKER, SUMMARY_MARKER, make_article
from tests.factories.members import make_member

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return {entry.findtext(f"{ATOM}title"): entry for entry in root.iter(f"{ATOM}entry")}


def personal_feed(user):
    return reverse("knowledge:member_feed", args=[member_services.feed_token_for(user)])


@pytest.fixture
def articles(watch_index):
    return {
        "premium": make_article(watch_index, audience="premium", title="Premium", topics=["cloud"]),
        "members": make_article(watch_index, audience="members", title="Échantillon"),
        "public": make_article(watch_index, audience="public", title="Public"),
    }


def test_the_public_feed_holds_only_public_articles(client, articles):
    response = client.get(reverse("knowledge:public_feed"))
    found = entries(response)
    assert set(found) == {"Public"}
    assert BODY_MARKER in response.content.decode()  # a public article is read in full by everyone
    assert "public" in response["Cache-Control"]


def test_a_basic_members_feed_has_teasers_of_premium_articles_and_never_their_body(client, articles):
    member = make_member("basic")
    response = client.get(personal_feed(member))
    found = entries(response)
    assert set(found) == {"Premium", "Échantillon", "Public"}
    premium = ET.tostring(found["Premium"], encoding="unicode")
    assert SUMMARY_MARKER in premium
    assert BODY_MARKER not in premium and COMMENTARY_MARKER not in premium
    assert found["Premium"].find(f"{ATOM}content") is None
    assert BODY_MARKER in ET.tostring(found["Échantillon"], encoding="unicode")
    assert "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_premium_members_feed_has_the_full_text(client, articles):
    response = client.get(personal_feed(make_member("premium")))
    premium = ET.tostring(entries(response)["Premium"], encoding="unicode")
    assert BODY_MARKER in premium and COMMENTARY_MARKER in premium
    assert 'term="cloud"' in premium


@pytest.mark.parametrize("person", ["expired", "unsigned"])
def test_the_personal_feed_stops_when_the_membership_ends_or_the_charter_waits(client, articles, person):
    member = make_member("premium", expired=True) if person == "expired" else make_member("premium", signed=False)
    assert client.get(personal_feed(member)).status_code == 404


def test_a_new_secret_stops_the_old_address(client, articles):
    member = make_member("premium")
    old = personal_feed(member)
    member_services.reset_feed_token(member)
    assert client.get(old).status_code == 404
    assert client.get(personal_feed(member)).status_code == 200


@pytest.mark.parametrize("token", ["forged-token", "x" * 300, "%00"])
def test_a_forged_token_finds_nothing(client, articles, token):
    assert client.get(f"/veille/flux/{token}/").status_code == 404


def test_drafts_are_in_no_feed(client, watch_index, articles):
    draft = make_article(watch_index, title="Brouillon")
    draft.unpublish()
    assert "Brouillon" not in entries(client.get(personal_feed(make_member("premium"))))


def test_the_watch_page_offers_the_personal_feed_to_members_only(client, watch_index, articles):
    member = make_member("basic")
    client.force_login(member)
    html = client.get(watch_index.url).content.decode()
    assert personal_feed(member) in html
    client.logout()
    assert 'data-testid="personal-feed"' not in client.get(watch_index.url).content.decode()
