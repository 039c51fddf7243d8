"""The agenda (EventIndexPage): upcoming and past events, filtered by kind, cluster and month, each list
filtered by the access policy in the database, at a fixed number of queries whatever the number of events."""

import datetime

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from members.access import Viewer, filter_pages
from members.privacy import keep_out_of_caches
from members.services import feed_token_for
from working_groups.models import WorkingGroupPage

from .models import EventPage, Registration

PAGE_SIZE = 12
PAST = "passes"  # ?quand=passes: the past events, newest first


def known_clusters(viewer):
    """The live clusters this viewer may know exist: a private cluster's name stays with its members."""
    clusters = WorkingGroupPage.objects.filter(kind=WorkingGroupPage.Kind.CLUSTER).live()
    return filter_pages(viewer, clusters).only("pk", "title", "slug", "locale_id").order_by("title")


def visible_events(viewer, index=None):
    """The live events this viewer may know of (premium teasers included), with what a card shows."""
    events = EventPage.objects.live()
    if index is not None:
        events = events.child_of(index)
    return filter_pages(viewer, events)


def upcoming(events, now=None):
    """Events not over yet (one under way is still upcoming), soonest first."""
    return events.filter(ends_at__gt=now or timezone.now()).order_by("starts_at", "pk")


def past(events, now=None):
    return events.filter(ends_at__lte=now or timezone.now()).order_by("-starts_at", "-pk")


def parse_month(value):
    """ "2027-03" → the first of that month; anything else → None (the filter is then ignored)."""
    try:
        day = datetime.datetime.strptime(value, "%Y-%m").date()
    except (TypeError, ValueError):
        return None
    return day if 1900 <= day.year <= 2999 else None


def _filters(request, viewer):
    """The filters asked for in the address, those that make sense: an unknown kind, a malformed month or a
    cluster the viewer may not know is ignored (whether a private cluster has events is not told)."""
    kind = request.GET.get("type", "").strip()
    if kind not in EventPage.Kind.values:
        kind = ""
    month = parse_month(request.GET.get("mois", "").strip())
    cluster_slug = request.GET.get("grappe", "").strip()
    clusters = list(known_clusters(viewer))
    cluster = next((c for c in clusters if c.slug == cluster_slug), None)
    return kind, month, cluster, clusters


def seats_and_mine(viewer, events):
    """For the events of one page, in one query: confirmed and waiting counts, and whether the viewer holds
    a place (confirmed or waiting) at each. No query per card."""
    if not events:
        return
    mine = Q(user_id=viewer.user.pk) if viewer.is_authenticated else Q(pk__in=[])
    rows = (
        Registration.objects.filter(event_id__in=[event.pk for event in events])
        .values("event_id")
        .annotate(
            confirmed=Count("pk", filter=Q(state=Registration.State.CONFIRMED)),
            waiting=Count("pk", filter=Q(state=Registration.State.WAITING)),
            my_confirmed=Count("pk", filter=mine & Q(state=Registration.State.CONFIRMED)),
            my_waiting=Count("pk", filter=mine & Q(state=Registration.State.WAITING)),
        )
        .order_by()
    )
    counts = {row["event_id"]: row for row in rows}
    for event in events:
        row = counts.get(event.pk, {})
        event.confirmed_count = row.get("confirmed", 0)
        event.waiting_count = row.get("waiting", 0)
        event.viewer_registered = bool(row.get("my_confirmed"))
        event.viewer_waiting = bool(row.get("my_waiting"))
        event.is_full = event.capacity is not None and event.confirmed_count >= event.capacity
        event.seats_left = None if event.capacity is None else max(0, event.capacity - event.confirmed_count)


def agenda_context(request, index):
    viewer = Viewer.for_request(request)
    now = timezone.now()
    showing_past = request.GET.get("quand", "") == PAST
    kind, month, cluster, clusters = _filters(request, viewer)

    events = visible_events(viewer, index)
    tab = past(events, now) if showing_past else upcoming(events, now)
    # The months offered are those of the tab's events before the other filters (no empty choice).
    months = list(tab.dates("start_date", "month", order="DESC" if showing_past else "ASC"))
    if kind:
        tab = tab.filter(kind=kind)
    if cluster is not None:
        # A subquery rather than a join: an event in several clusters is listed once.
        in_cluster = EventPage.clusters.through.objects.filter(workinggrouppage_id=cluster.pk)
        tab = tab.filter(pk__in=in_cluster.values("eventpage_id"))
    if month is not None:
        tab = tab.filter(start_date__year=month.year, start_date__month=month.month)
    tab = tab.select_related("group").prefetch_related(
        Prefetch("clusters", queryset=known_clusters(viewer), to_attr="known_clusters")
    )

    page = Paginator(tab, PAGE_SIZE).get_page(request.GET.get("page", "1"))  # a wrong number: first or last page
    page.object_list = list(page.object_list)
    seats_and_mine(viewer, page.object_list)

    return {
        "viewer": viewer,
        "events": page,
        "showing_past": showing_past,
        "past_param": PAST,
        "kinds": EventPage.Kind.choices,
        "clusters": clusters,
        "months": months,
        "current_kind": kind,
        "current_cluster": cluster.slug if cluster else "",
        "current_month": month.strftime("%Y-%m") if month else "",
        "filtered": bool(kind or cluster or month),
        **calendar_addresses(request, viewer),
    }


def webcal(url):
    """The same address for a calendar application to subscribe to (one click in Outlook or Apple Calendar)."""
    return "webcal://" + url.split("://", 1)[1] if url else None


def calendar_addresses(request, viewer):
    mine = personal_calendar_url(request, viewer)
    public = request.build_absolute_uri(reverse("events:agenda_ics"))
    return {
        "my_calendar_url": mine,
        "my_calendar_webcal": webcal(mine),
        "agenda_ics_url": public,
        "agenda_webcal": webcal(public),
    }


def personal_calendar_url(request, viewer):
    """A member's own calendar of the events they registered for; the address holds their secret."""
    if not viewer.is_member:
        return None
    keep_out_of_caches(request)  # the page now holds the person's secret
    return request.build_absolute_uri(reverse("events:my_calendar", args=[feed_token_for(request.user)]))
