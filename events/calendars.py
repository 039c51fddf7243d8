"""iCalendar: an event's .ics, a member's personal calendar feed, the public agenda feed.

A calendar application has no session. The public feed is read as a visitor, whoever asks: the events open
to everyone. The personal feed is read as the person whose secret (`Profile.feed_token`, the one their
other private feeds use) is in the address, and holds the events they hold a confirmed place at; the
online link of an event goes only to those registered for it.

Times are written as the event's own wall clock with its time zone (TZID and a VTIMEZONE), so that a
calendar shows a trade mission in Tokyo at the right hour on both sides of a daylight-saving change.
"""

import datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _

from members.access import Viewer, can_read, decide, filter_pages
from members.converters import DatabaseIdConverter  # noqa: F401 (registers <id:...>)
from members.gates import denial_response
from members.services import profile_for_feed_token

from .models import EventPage, Registration

# Feeds hold what is to come and a little of what has been (a calendar keeps what it already shows).
FEED_PAST_DAYS = 90
FEED_SIZE = 300
PRODID = "-//Cercle//Agenda du club//FR"


def uid_host():
    """The host in every event's UID: the same for the .ics and both feeds, whatever address was asked,
    so that a calendar that imports an event twice keeps one copy of it."""
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "cercle"


def event_uid(event):
    return f"event-{event.pk}@{uid_host()}"


def new_calendar(name=None):
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
    return cal


def location_of(event, online_link):
    place = ", ".join(part for part in (event.venue, event.address) if part)
    if place:
        return place
    if event.online_url:
        return online_link or _("Online")
    return ""


def vevent(request, event, *, with_online_link=False):
    """One VEVENT: the teaser's facts (title, summary, place, times), never the body; the online link only
    for a person registered for the event."""
    item = icalendar.Event()
    item.add("uid", event_uid(event))
    item.add("dtstamp", event.last_published_at or timezone.now())
    if event.last_published_at:
        item.add("last-modified", event.last_published_at)
    # Wall clock in the event's zone: icalendar writes DTSTART;TZID=Europe/Brussels:20271031T023000.
    item.add("dtstart", event.local_start())
    item.add("dtend", event.local_end())
    item.add("summary", event.title)
    url = request.build_absolute_uri(event.get_url(request) or "/")
    item.add("url", url)
    online_link = event.online_url if with_online_link else ""
    location = location_of(event, online_link)
    if location:
        item.add("location", location)
    description = [event.summary]
    if online_link:
        description.append(_("Online link: %(url)s") % {"url": online_link})
    description.append(url)
    item.add("description", "\n\n".join(part for part in description if part))
    item.add("categories", [str(event.get_kind_display())])
    item.add("status", "CONFIRMED")
    item.add("transp", "OPAQUE")
    return item


def add_time_zones(cal, events):
    """One VTIMEZONE per zone the events use, with its daylight-saving changes over the years the events
    span (a year either side), placed before the events as some calendar applications expect."""
    if events:
        first = min(event.start_date for event in events) - datetime.timedelta(days=366)
        last = max(event.end_date or event.start_date for event in events) + datetime.timedelta(days=366)
        cal.add_missing_timezones(first_date=first, last_date=last)
    cal.subcomponents.sort(key=lambda component: component.name != "VTIMEZONE")  # stable: events keep their order


def calendar_response(cal, filename, events, *, private):
    add_time_zones(cal, events)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if private:
        # What it holds depends on the person, and may change or stop at any time.
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
    else:
        patch_cache_control(response, public=True, max_age=900)
    return response


def confirmed_event_ids(user, events):
    if user is None or not user.is_authenticated:
        return set()
    return set(
        Registration.objects.filter(
            user=user, state=Registration.State.CONFIRMED, event_id__in=[e.pk for e in events]
        ).values_list("event_id", flat=True)
    )


def event_ics(request, event_id):
    """One event's .ics, for whoever may know the event; its online link for those registered."""
    viewer = Viewer.for_request(request)
    event = EventPage.objects.live().filter(pk=event_id).select_related("cercle_audience").first()
    if event is None:
        raise Http404
    decision = decide(viewer, event)
    if not decision.allowed:
        return denial_response(request, decision)  # login, charter, 403, or 404 for a group's event
    registered = bool(confirmed_event_ids(viewer.user, [event]))
    cal = new_calendar()
    cal.add_component(vevent(request, event, with_online_link=registered and decision.full))
    # An anonymous visitor's copy of a public event is the same for every visitor: it may be cached.
    return calendar_response(cal, f"{event.slug}.ics", [event], private=viewer.is_authenticated)


def feed_window(events):
    since = timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS)
    return events.filter(ends_at__gte=since).order_by("starts_at", "pk")[:FEED_SIZE]


def agenda_ics(request):
    """The public agenda: the events open to everyone, read as a visitor whoever asks (a member's session
    does not widen a feed that is meant to be shared)."""
    visitor = Viewer(AnonymousUser())
    events = list(feed_window(filter_pages(visitor, EventPage.objects.live())))
    cal = new_calendar(_("Agenda of the club"))
    for event in events:
        cal.add_component(vevent(request, event))
    return calendar_response(cal, "agenda.ics", events, private=False)


def my_calendar(request, token):
    """The events a member holds a confirmed place at, for their calendar application.

    An unknown or forged secret is answered 404. A person whose membership ended (or who has a charter to
    sign) gets an empty calendar rather than an error: a calendar application may drop a subscription that
    fails, and the same address shows their events again once they renew."""
    profile = profile_for_feed_token(token)
    if profile is None or not profile.user.is_active:
        raise Http404
    viewer = Viewer(profile.user)
    cal = new_calendar(_("My events at the club"))
    if viewer.is_member or viewer.is_staff:
        mine = EventPage.objects.live().filter(
            registrations__user=profile.user, registrations__state=Registration.State.CONFIRMED
        )
        events = list(feed_window(filter_pages(viewer, mine).select_related("cercle_audience")))
    else:
        events = []
    for event in events:
        cal.add_component(vevent(request, event, with_online_link=can_read(viewer, event)))
    return calendar_response(cal, "mes-evenements.ics", events, private=True)


urlpatterns = [
    # Under the agenda's address: a page's slug has no dot, so no page can be shadowed by these.
    path("agenda/calendrier.ics", agenda_ics, name="agenda_ics"),
    path("agenda/evenement-<id:event_id>.ics", event_ics, name="event_ics"),
    path("agenda/mon-calendrier/<str:token>.ics", my_calendar, name="my_calendar"),
]
