"""iCalendar: an event's .ics, the public agenda feed and a member's personal feed, each through the policy,
parsed back with the icalendar library, with the right hours on both sides of a daylight-saving change."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.urls import reverse

from events.models import Registration
from members.services import feed_token_for, reset_feed_token
from tests.factories.events import BODY_MARKER, ONLINE_URL, EventIndexPageFactory, RegistrationFactory, make_event
from tests.factories.members import make_member, make_staff
from tests.factories.working_groups import WorkingGroupIndexPageFactory, make_group

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.fixture
def club(home_page):
    agenda = EventIndexPageFactory(parent=home_page)
    groups = WorkingGroupIndexPageFactory(parent=home_page)
    people = {
        "anonymous": None,
        "basic": make_member("basic"),
        "premium": make_member("premium"),
        "expired": make_member("premium", expired=True),
        "unsigned": make_member("premium", signed=False),
        "insider": make_member("basic"),
        "outsider": make_member("premium"),
        "staff": make_staff(),
    }
    group = make_group(groups, visibility="private", title="Conseil", members=[people["insider"]])
    events = {
        "public": make_event(agenda, title="Conférence publique", audience="public", online_url=ONLINE_URL),
        "members": make_event(agenda, title="Formation des membres", audience="members", online_url=ONLINE_URL),
        "premium": make_event(agenda, title="Petit-déjeuner premium", audience="premium", online_url=ONLINE_URL),
        "group": make_event(agenda, title="Atelier du conseil", audience="group", group=group, online_url=ONLINE_URL),
    }
    return agenda, people, events


def parse(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def vevents(cal):
    return [component for component in cal.walk("VEVENT")]


def summaries(cal):
    return {str(item["SUMMARY"]) for item in vevents(cal)}


def ics_url(event):
    return reverse("events:event_ics", args=[event.pk])


def get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


# --- One event's .ics ------------------------------------------------------------------------------------

# What each viewer gets of each event's .ics: 200, a log-in redirect (302), a refusal (403) or 404 for a
# group's event (its existence is not revealed).
ICS = {
    "anonymous": {"public": 200, "members": 302, "premium": 302, "group": 404},
    "basic": {"public": 200, "members": 200, "premium": 200, "group": 404},  # the premium event's teaser
    "premium": {"public": 200, "members": 200, "premium": 200, "group": 404},
    "expired": {"public": 200, "members": 403, "premium": 403, "group": 404},
    "unsigned": {"public": 200, "members": 302, "premium": 302, "group": 404},  # to the charter
    "insider": {"public": 200, "members": 200, "premium": 200, "group": 200},
    "outsider": {"public": 200, "members": 200, "premium": 200, "group": 404},
    "staff": {"public": 200, "members": 200, "premium": 200, "group": 200},
}


@pytest.mark.parametrize("who", list(ICS))
def test_an_event_ics_is_given_to_whoever_may_know_the_event(client, club, who):
    _agenda, people, events = club
    for name, expected in ICS[who].items():
        response = get(client, people[who], ics_url(events[name]))
        assert response.status_code == expected, (who, name)
        if expected == 200:
            cal = parse(response)
            assert summaries(cal) == {events[name].title}
            assert BODY_MARKER not in response.content.decode()  # the description is the summary, never the body
            assert ONLINE_URL not in response.content.decode()  # nobody here is registered


def test_an_unknown_event_or_a_draft_is_404(client, club):
    _agenda, people, events = club
    client.force_login(people["staff"])
    assert client.get(reverse("events:event_ics", args=[987654])).status_code == 404
    assert client.get(f"/agenda/evenement-{2**64}.ics").status_code == 404  # beyond any id: no 500
    events["members"].unpublish()
    assert client.get(ics_url(events["members"])).status_code == 404


def test_the_online_link_goes_only_to_a_confirmed_registration(client, club):
    _agenda, people, events = club
    event = events["members"]
    registered, waiting, cancelled = make_member("basic"), make_member("basic"), make_member("basic")
    RegistrationFactory(event=event, user=registered)
    RegistrationFactory(event=event, user=waiting, state=Registration.State.WAITING)
    RegistrationFactory(event=event, user=cancelled, state=Registration.State.CANCELLED)
    for user, sees in [(registered, True), (waiting, False), (cancelled, False), (people["staff"], False)]:
        client.force_login(user)
        body = client.get(ics_url(event)).content.decode()
        assert (ONLINE_URL in body.replace("\r\n ", "")) is sees


def test_the_event_ics_fields(client, club, settings):
    _agenda, people, events = club
    settings.WAGTAILADMIN_BASE_URL = "https://cercle.example"
    event = events["public"]
    response = get(client, None, ics_url(event))
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    (item,) = vevents(parse(response))
    assert str(item["UID"]) == f"event-{event.pk}@cercle.example"
    assert str(item["SUMMARY"]) == event.title
    assert str(item["LOCATION"]) == f"{event.venue}, {event.address}"
    assert str(item["URL"]).endswith(event.url)
    assert str(item["DESCRIPTION"]).startswith(event.summary)
    assert str(item["STATUS"]) == "CONFIRMED"
    assert item.decoded("DTSTART") == event.local_start()
    assert item["DTSTART"].params["TZID"] == "Europe/Brussels"


def test_the_uid_is_the_same_whatever_address_asked(client, club):
    _agenda, _people, events = club
    first = vevents(parse(client.get(ics_url(events["public"]), HTTP_HOST="localhost")))[0]
    feed = vevents(parse(client.get(reverse("events:agenda_ics"))))[0]
    assert str(first["UID"]) == str(feed["UID"])


# --- Time zones -------------------------------------------------------------------------------------------


def test_a_brussels_event_on_the_night_summer_time_ends_keeps_its_hour(client, club):
    """The last Sunday of October 2027: at 03:00 summer time, clocks go back to 02:00. An event at 02:30
    (the first 02:30, still summer time) is at 00:30 UTC; the next day's at 10:00 is at 09:00 UTC."""
    agenda, _people, _events = club
    night = make_event(
        agenda,
        audience="public",
        title="Nuit du changement d'heure",
        start_date=datetime.date(2027, 10, 31),
        start_time=datetime.time(2, 30),
        end_time=datetime.time(4, 0),
    )
    day_before = make_event(agenda, audience="public", title="La veille", start_date=datetime.date(2027, 10, 30))
    day_after = make_event(agenda, audience="public", title="Le lendemain", start_date=datetime.date(2027, 11, 1))
    assert night.starts_at == datetime.datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    assert night.ends_at == datetime.datetime(2027, 10, 31, 3, 0, tzinfo=UTC)  # 04:00 winter time

    cal = parse(client.get(reverse("events:agenda_ics")))
    items = {str(item["SUMMARY"]): item for item in vevents(cal)}
    start = items[night.title].decoded("DTSTART")
    assert start.utcoffset() == datetime.timedelta(hours=2)
    assert start.astimezone(UTC) == night.starts_at
    assert items[night.title].decoded("DTEND").utcoffset() == datetime.timedelta(hours=1)
    assert items[day_before.title].decoded("DTSTART").astimezone(UTC).hour == 7  # 09:00 summer time
    assert items[day_after.title].decoded("DTSTART").astimezone(UTC).hour == 8  # 09:00 winter time

    # The VTIMEZONE written in the file holds the change itself, so that any application reads the same hours.
    (vtimezone,) = [tz for tz in cal.walk("VTIMEZONE") if str(tz["TZID"]) == "Europe/Brussels"]
    converted = vtimezone.to_tz()
    assert datetime.datetime(2027, 10, 30, 9, 0, tzinfo=converted).utcoffset() == datetime.timedelta(hours=2)
    assert datetime.datetime(2027, 11, 1, 9, 0, tzinfo=converted).utcoffset() == datetime.timedelta(hours=1)


def test_a_trade_mission_in_tokyo_is_written_in_tokyo_time(client, club):
    agenda, people, _events = club
    mission = make_event(
        agenda,
        audience="members",
        kind="trade_mission",
        title="Mission au Japon",
        time_zone="Asia/Tokyo",
        start_date=datetime.date(2027, 3, 10),
        end_date=datetime.date(2027, 3, 13),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(18, 0),
    )
    assert mission.starts_at == datetime.datetime(2027, 3, 10, 0, 0, tzinfo=UTC)
    client.force_login(people["basic"])
    cal = parse(client.get(ics_url(mission)))
    (item,) = vevents(cal)
    assert item["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert item.decoded("DTSTART") == datetime.datetime(2027, 3, 10, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert item.decoded("DTEND").astimezone(UTC) == datetime.datetime(2027, 3, 13, 9, 0, tzinfo=UTC)
    (vtimezone,) = cal.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Asia/Tokyo"
    assert vtimezone.subcomponents[0]["TZOFFSETTO"].td == datetime.timedelta(hours=9)


# --- The public agenda feed ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "basic", "premium", "expired", "insider", "staff"])
def test_the_public_feed_holds_only_public_events_whoever_asks(client, club, who):
    _agenda, people, events = club
    response = get(client, people[who], reverse("events:agenda_ics"))
    assert response.status_code == 200
    assert summaries(parse(response)) == {events["public"].title}
    assert ONLINE_URL not in response.content.decode()
    assert "public" in response["Cache-Control"]


def test_the_public_feed_keeps_recent_past_events_and_drops_old_ones(client, club):
    agenda, _people, _events = club
    today = datetime.date.today()
    recent = make_event(agenda, audience="public", title="Le mois passé", start_date=today - datetime.timedelta(30))
    old = make_event(agenda, audience="public", title="L'an passé", start_date=today - datetime.timedelta(400))
    titles = summaries(parse(client.get(reverse("events:agenda_ics"))))
    assert recent.title in titles and old.title not in titles


# --- The personal feed --------------------------------------------------------------------------------------


def my_calendar(client, user):
    return client.get(reverse("events:my_calendar", args=[feed_token_for(user)]))


def test_the_personal_feed_holds_the_confirmed_events_only_with_their_online_link(client, club):
    _agenda, people, events = club
    member = people["insider"]
    RegistrationFactory(event=events["members"], user=member)
    RegistrationFactory(event=events["group"], user=member)
    RegistrationFactory(event=events["public"], user=member, state=Registration.State.WAITING)
    RegistrationFactory(event=events["premium"], user=people["premium"])  # someone else's
    response = my_calendar(client, member)  # no session: the secret stands for the person
    assert response.status_code == 200
    cal = parse(response)
    assert summaries(cal) == {events["members"].title, events["group"].title}
    assert ONLINE_URL in response.content.decode().replace("\r\n ", "")
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_personal_feed_follows_the_policy_an_event_of_a_group_left_is_gone(client, club):
    _agenda, people, events = club
    member = people["insider"]
    RegistrationFactory(event=events["group"], user=member)
    from working_groups.models import GroupMembership

    GroupMembership.objects.filter(user=member).delete()
    assert summaries(parse(my_calendar(client, member))) == set()


def test_a_basic_member_registered_for_a_premium_event_gets_it_without_the_online_link(client, club):
    """A member who moved down to the basic tier keeps their registration, but not what only premium members read."""
    _agenda, people, events = club
    member = people["basic"]
    RegistrationFactory(event=events["premium"], user=member)
    response = my_calendar(client, member)
    assert summaries(parse(response)) == {events["premium"].title}
    assert ONLINE_URL not in response.content.decode().replace("\r\n ", "")


@pytest.mark.parametrize("who", ["expired", "unsigned"])
def test_a_person_no_longer_a_member_gets_an_empty_calendar(client, club, who):
    _agenda, people, events = club
    RegistrationFactory(event=events["public"], user=people[who])
    RegistrationFactory(event=events["members"], user=people[who])
    response = my_calendar(client, people[who])
    assert response.status_code == 200
    assert vevents(parse(response)) == []


@pytest.mark.parametrize(
    "token", ["forged-token-that-nobody-has", "a" * 300, "with space", "%00", "é", "../../etc/passwd"]
)
def test_a_forged_or_malformed_secret_is_404(client, club, token):
    response = client.get(f"/agenda/mon-calendrier/{token}.ics")
    assert response.status_code == 404


def test_an_old_secret_stops_working_once_renewed(client, club):
    _agenda, people, _events = club
    member = people["basic"]
    old = feed_token_for(member)
    reset_feed_token(member)
    assert client.get(reverse("events:my_calendar", args=[old])).status_code == 404
    assert my_calendar(client, member).status_code == 200


def test_a_deactivated_account_gets_404(client, club):
    _agenda, people, _events = club
    member = people["basic"]
    token = feed_token_for(member)
    member.is_active = False
    member.save()
    assert client.get(reverse("events:my_calendar", args=[token])).status_code == 404


def test_the_personal_feed_costs_the_same_queries_for_2_or_20_events(client, club, django_assert_max_num_queries):
    agenda, people, _events = club
    member = people["premium"]
    token = feed_token_for(member)
    for n in range(2):
        RegistrationFactory(event=make_event(agenda, title=f"Avant {n}"), user=member)
    url = reverse("events:my_calendar", args=[token])
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for n in range(18):
        RegistrationFactory(event=make_event(agenda, title=f"Après {n}", time_zone="Asia/Tokyo"), user=member)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert len(vevents(parse(response))) == 20
