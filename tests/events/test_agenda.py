"""The agenda (EventIndexPage): each viewer sees the events the policy lets them know, upcoming soonest first
and past newest first, filtered by kind, cluster and month, at a fixed number of queries."""

import datetime
import re

import pytest
from django.utils import timezone

from events.models import EventPage, Registration
from tests.factories.events import EventIndexPageFactory, RegistrationFactory, in_days, make_event
from tests.factories.members import make_member, make_staff
from tests.factories.working_groups import WorkingGroupIndexPageFactory, make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def club(home_page):
    """An agenda with one upcoming event of each audience, the people of every kind, and a private group."""
    agenda = EventIndexPageFactory(parent=home_page)
    groups = WorkingGroupIndexPageFactory(parent=home_page)
    people = {
        "anonymous": None,
        "basic": make_member("basic"),
        "premium": make_member("premium"),
        "expired": make_member("premium", expired=True),
        "insider": make_member("basic"),
        "outsider": make_member("premium"),
        "staff": make_staff(),
    }
    group = make_group(groups, visibility="private", title="Conseil", members=[people["insider"]])
    events = {
        "public": make_event(agenda, title="Conférence publique", audience="public", start_date=in_days(3)),
        "members": make_event(agenda, title="Formation des membres", audience="members", start_date=in_days(4)),
        "premium": make_event(agenda, title="Petit-déjeuner premium", audience="premium", start_date=in_days(5)),
        "group": make_event(agenda, title="Atelier du conseil", audience="group", group=group, start_date=in_days(6)),
    }
    return agenda, people, events, groups


def listed(response):
    """The pks of the events listed on the page, in the order shown."""
    return [int(pk) for pk in re.findall(r'data-testid="agenda-event-(\d+)"', response.content.decode())]


def get(client, user, url, **params):
    if user is not None:
        client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return response


SEES = {
    "anonymous": {"public"},
    "expired": {"public"},
    "basic": {"public", "members", "premium"},  # the premium event's teaser, with its badge
    "premium": {"public", "members", "premium"},
    "outsider": {"public", "members", "premium"},
    "insider": {"public", "members", "premium", "group"},
    "staff": {"public", "members", "premium", "group"},
}


@pytest.mark.parametrize("who", list(SEES))
def test_each_viewer_sees_the_events_the_policy_lets_them_know(client, club, who):
    agenda, people, events, _groups = club
    response = get(client, people[who], agenda.url)
    assert set(listed(response)) == {events[name].pk for name in SEES[who]}
    html = response.content.decode()
    for name in set(events) - SEES[who]:
        assert events[name].title not in html


def test_a_basic_member_sees_the_premium_event_marked_premium(client, club):
    agenda, people, events, _groups = club
    html = get(client, people["basic"], agenda.url).content.decode()
    card = html.split(f'data-testid="agenda-event-{events["premium"].pk}"')[1].split("</li>")[0]
    assert 'data-testid="badge-premium"' in card


def test_upcoming_events_come_soonest_first_and_past_ones_newest_first_in_their_own_tab(client, club):
    agenda, people, events, _groups = club
    older = make_event(agenda, title="Il y a un mois", start_date=in_days(-30))
    recent = make_event(agenda, title="La semaine passée", start_date=in_days(-7))
    member = people["premium"]
    upcoming = listed(get(client, member, agenda.url))
    assert upcoming == [events["public"].pk, events["members"].pk, events["premium"].pk]
    assert listed(get(client, member, agenda.url, quand="passes")) == [recent.pk, older.pk]


def test_an_event_under_way_is_still_upcoming(client, club):
    agenda, people, _events, _groups = club
    now = timezone.localtime()
    running = make_event(
        agenda,
        title="En cours",
        start_date=now.date() - datetime.timedelta(days=1),
        end_date=now.date() + datetime.timedelta(days=1),
    )
    assert running.pk in listed(get(client, people["basic"], agenda.url))
    assert running.pk not in listed(get(client, people["basic"], agenda.url, quand="passes"))


def test_the_agenda_filters_by_kind_month_and_cluster(client, club):
    agenda, people, events, groups = club
    cluster = make_group(groups, kind="cluster", visibility="premium", title="Sécurité")
    far = in_days(70)
    training = make_event(agenda, title="Formation lointaine", kind="training", start_date=far)
    training.clusters.set([cluster])
    training.save()
    member = people["premium"]

    assert listed(get(client, member, agenda.url, type="training")) == [training.pk]
    assert listed(get(client, member, agenda.url, mois=far.strftime("%Y-%m"))) == [training.pk]
    assert listed(get(client, member, agenda.url, grappe=cluster.slug)) == [training.pk]
    assert listed(get(client, member, agenda.url, type="conference", mois=far.strftime("%Y-%m"))) == []


@pytest.mark.parametrize(
    "params",
    [
        {"type": "concert"},
        {"mois": "2027-13"},
        {"mois": "mars"},
        {"mois": "0000-01"},
        {"grappe": "n-existe-pas"},
        {"page": "abc"},
        {"page": "99999999999999999999"},
        {"quand": "demain"},
        {"type": "\x00", "mois": "\x00", "grappe": "\x00"},
    ],
)
def test_a_filter_that_makes_no_sense_is_ignored_never_a_500(client, club, params):
    agenda, people, events, _groups = club
    response = get(client, people["premium"], agenda.url, **params)
    assert set(listed(response)) == {events["public"].pk, events["members"].pk, events["premium"].pk}


def test_a_private_cluster_is_not_offered_nor_revealed_by_its_slug(client, club):
    agenda, people, events, groups = club
    secret = make_group(groups, kind="cluster", visibility="private", title="Grappe secrète")
    event = make_event(agenda, title="Visible de tous les membres", start_date=in_days(8))
    event.clusters.set([secret])
    event.save()
    response = get(client, people["basic"], agenda.url, grappe=secret.slug)
    html = response.content.decode()
    assert "Grappe secrète" not in html
    # The filter is ignored: the same list as with no filter (no hint that the cluster has events).
    assert set(listed(response)) == set(listed(get(client, people["basic"], agenda.url)))


def test_a_full_event_says_so_and_one_with_room_gives_the_seats_left(client, club):
    agenda, people, _events, _groups = club
    full = make_event(agenda, title="Complet", capacity=2, start_date=in_days(9))
    room = make_event(agenda, title="Des places", capacity=10, start_date=in_days(10))
    for _ in range(2):
        RegistrationFactory(event=full)
    RegistrationFactory(event=full, state=Registration.State.WAITING)
    RegistrationFactory(event=room)
    RegistrationFactory(event=room, state=Registration.State.CANCELLED)
    html = get(client, people["basic"], agenda.url).content.decode()
    full_card = html.split(f'data-testid="agenda-event-{full.pk}"')[1].split("</li>")[0]
    room_card = html.split(f'data-testid="agenda-event-{room.pk}"')[1].split("</li>")[0]
    assert 'data-testid="badge-full"' in full_card
    assert 'data-testid="seats-left"' in room_card and "9" in room_card
    assert 'data-testid="badge-full"' not in room_card


def test_a_member_sees_which_events_they_hold_a_place_at(client, club):
    agenda, people, events, _groups = club
    member = people["basic"]
    RegistrationFactory(event=events["members"], user=member)
    RegistrationFactory(event=events["public"], user=member, state=Registration.State.WAITING)
    html = get(client, member, agenda.url).content.decode()
    assert html.count('data-testid="badge-registered"') == 1
    assert html.count('data-testid="badge-waiting-mine"') == 1


def test_the_card_gives_the_local_time_and_zone_of_an_event_abroad(client, club):
    agenda, people, _events, _groups = club
    tokyo = make_event(
        agenda,
        title="Mission au Japon",
        kind="trade_mission",
        time_zone="Asia/Tokyo",
        start_date=in_days(12),
        start_time=datetime.time(9, 30),
        end_time=datetime.time(18, 0),
    )
    html = get(client, people["basic"], agenda.url).content.decode()
    card = html.split(f'data-testid="agenda-event-{tokyo.pk}"')[1].split("</li>")[0]
    assert "09:30" in card and "Asia/Tokyo" in card
    assert f'datetime="{tokyo.local_start().isoformat()}"' in card


def test_a_member_is_given_their_personal_calendar_address_and_the_page_is_not_stored(client, club):
    agenda, people, _events, _groups = club
    member = people["basic"]
    response = get(client, member, agenda.url)
    html = response.content.decode()
    token = member.profile.__class__.objects.get(user=member).feed_token
    assert token and f"/agenda/mon-calendrier/{token}.ics" in html
    assert 'data-testid="my-calendar-url"' in html
    assert f'href="webcal://testserver/agenda/mon-calendrier/{token}.ics"' in html
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("who", ["anonymous", "expired"])
def test_a_visitor_gets_the_public_calendar_but_no_personal_one(client, club, who):
    agenda, people, _events, _groups = club
    html = get(client, people[who], agenda.url).content.decode()
    assert 'data-testid="my-calendar-url"' not in html
    assert "/agenda/calendrier.ics" in html


# Measured, with a little room; staff pay ~5 more for Wagtail's user bar (permissions), which members never get.
BUDGET = {"anonymous": 14, "basic": 18, "insider": 18, "staff": 23}


@pytest.mark.parametrize("who", list(BUDGET))
def test_the_agenda_costs_the_same_queries_for_5_or_30_events(client, club, who, django_assert_max_num_queries):
    agenda, people, _events, groups = club
    cluster = make_group(groups, kind="cluster", visibility="premium", title="Web")
    user = people[who]
    if user is not None:
        client.force_login(user)

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(agenda.url).status_code == 200
        return len(queries)

    count()  # the first requests fill the caches of the site (root paths, footer)
    count()
    few = count()
    for n in range(26):
        event = make_event(agenda, audience=["public", "members", "premium"][n % 3], capacity=5, start_date=in_days(n))
        event.clusters.set([cluster])
        event.save()
        RegistrationFactory(event=event)
    count()
    many = count()
    assert many == few
    assert many <= BUDGET[who]
    with django_assert_max_num_queries(BUDGET[who]):
        client.get(agenda.url, {"quand": "passes"})
    with django_assert_max_num_queries(BUDGET[who]):
        client.get(agenda.url, {"type": "conference", "grappe": cluster.slug, "page": "2"})


def test_pages_of_twelve(client, club):
    agenda, people, _events, _groups = club
    for n in range(20):
        make_event(agenda, title=f"Série {n}", audience="public", start_date=in_days(20 + n))
    first = listed(get(client, None, agenda.url))
    second = listed(get(client, None, agenda.url, page="2"))
    assert len(first) == 12 and len(second) == 9  # 21 public events
    assert not set(first) & set(second)


def test_the_kind_choices_are_every_kind_of_event(client, club):
    agenda, people, _events, _groups = club
    html = get(client, people["basic"], agenda.url).content.decode()
    for value in EventPage.Kind.values:
        assert f'<option value="{value}"' in html
