"""The demo club's agenda: about ten events around today, past and upcoming, of every kind (demo_data/events.yaml).

Runs after working_groups/demo.py and knowledge/demo.py (settings.CERCLE_APPS order): the events name the
clusters and groups made there, and place the demo accounts of members/demo.py in their seats. Dates are
relative to the day of loading. A second run keeps every event as it is (an editor may have changed it)
and adds only what is missing, registrations included.
"""

import datetime
import pathlib
from decimal import Decimal

import yaml
from django.contrib.auth import get_user_model
from django.utils import timezone

from home.demo import ensure_page
from home.models import HomePage
from working_groups.models import WorkingGroupPage

from .models import DEFAULT_TIME_ZONE, EventIndexPage, EventPage, EventSpeaker, Registration

DATA = pathlib.Path(__file__).resolve().parent / "demo_data" / "events.yaml"


def read_data():
    with open(DATA, encoding="utf-8") as data:
        return yaml.safe_load(data)


def parse_time(text):
    return datetime.datetime.strptime(text, "%H:%M").time()


def programme(blocks):
    """[{"session": [start, end, title, speaker?, description?]}, {"text": "<p>…</p>"}] → StreamField values."""
    values = []
    for block in blocks:
        for kind, value in block.items():
            if kind == "text":
                values.append({"type": "text", "value": value})
                continue
            start, end, title, *rest = value
            values.append(
                {
                    "type": "session",
                    "value": {
                        "start_time": start,
                        "end_time": end,
                        "title": title,
                        "speaker": rest[0] if rest else "",
                        "description": rest[1] if len(rest) > 1 else "",
                    },
                }
            )
    return values


def load(context):
    home = HomePage.objects.filter(locale__language_code="fr").first() or HomePage.objects.first()
    if home is None:
        context.kept("pas de page d'accueil : agenda non créé")
        return
    data = read_data()
    index = EventIndexPage.objects.first()
    if index is not None:
        context.kept(f"agenda « {index.title} »")
    else:
        index = ensure_page(
            context,
            home,
            EventIndexPage,
            "agenda",
            title="Agenda",
            show_in_menus=True,
            introduction=data["introduction"],
            search_description="Les conférences, formations, rencontres et missions économiques du club.",
        )

    people = get_user_model().objects.in_bulk(field_name="username")
    groups = {group.slug: group for group in WorkingGroupPage.objects.all()}
    today = timezone.localdate()
    for spec in data["events"]:
        event = ensure_event(context, index, spec, today, people, groups)
        ensure_registrations(context, event, spec.get("registrations", {}), people)


def ensure_event(context, index, spec, today, people, groups):
    start_date = today + datetime.timedelta(days=spec["day"])
    while start_date.weekday() >= 5:  # the club meets on working days: a Saturday or Sunday moves to Monday
        start_date += datetime.timedelta(days=1)
    days = spec.get("days", 1)
    fields = {
        "title": spec["title"],
        "kind": spec["kind"],
        "summary": " ".join(spec["summary"].split()),
        "body": spec.get("body", ""),
        "start_date": start_date,
        "start_time": parse_time(spec["start"]),
        "end_date": start_date + datetime.timedelta(days=days - 1) if days > 1 else None,
        "end_time": parse_time(spec["end"]),
        "time_zone": spec.get("time_zone", DEFAULT_TIME_ZONE),
        "venue": spec.get("venue", ""),
        "address": spec.get("address", ""),
        "map_url": spec.get("map_url", ""),
        "online_url": spec.get("online_url", ""),
        "audience": spec.get("audience", EventPage.EventAudience.MEMBERS),
        "group": groups.get(spec["group"]) if spec.get("group") else None,
        "capacity": spec.get("capacity"),
        "price_basic": Decimal(spec["price_basic"]) if spec.get("price_basic") else None,
        "price_premium": Decimal(spec["price_premium"]) if spec.get("price_premium") else None,
        "partner": spec.get("partner", ""),
        "contact_email": spec.get("contact_email", ""),
        "programme": programme(spec.get("programme", [])),
        "clusters": [groups[slug] for slug in spec.get("clusters", []) if slug in groups],
        "speakers": [
            EventSpeaker(name=name, role=role, member=people.get(member[0]) if member else None)
            for name, role, *member in spec.get("speakers", [])
        ],
    }
    if fields["audience"] == EventPage.EventAudience.GROUP and fields["group"] is None:
        fields["audience"] = EventPage.EventAudience.MEMBERS  # the group is missing: keep it for members
    return ensure_page(context, index, EventPage, spec["slug"], **fields)


def ensure_registrations(context, event, registrations, people):
    """Seats taken directly (the services would e-mail each person): confirmed first, then the waiting list
    in its order, one minute apart, so that the queue has the order the data file gives."""
    start = min(timezone.now(), event.starts_at or timezone.now()) - datetime.timedelta(days=20)
    made = 0
    queue = [(name, Registration.State.CONFIRMED) for name in registrations.get("confirmed", [])]
    queue += [(name, Registration.State.WAITING) for name in registrations.get("waiting", [])]
    for position, (username, state) in enumerate(queue):
        user = people.get(username)
        if user is None:
            continue
        at = start + datetime.timedelta(minutes=position)
        _registration, created = Registration.objects.get_or_create(
            event=event,
            user=user,
            defaults={
                "state": state,
                "registered_at": at,
                "confirmed_at": at if state == Registration.State.CONFIRMED else None,
            },
        )
        made += created
    if made:
        context.created(f"{made} inscription(s) à « {event.title} »")
    elif queue:
        context.kept(f"inscriptions à « {event.title} »")
