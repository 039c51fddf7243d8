"""What the opportunities' pages show, each list filtered by the access policy, at a fixed number of queries.

Serving a page is already decided by the policy's `on_serve_page` hook (members/wagtail_hooks.py): a
visitor is sent to log in, an expired member gets the renewal notice. Here the index lists what the viewer
may know (every member sees the teasers), and an opportunity's page shows its premium part only to those
who read it in full.
"""

import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from wagtail.documents import get_document_model

from members.access import Viewer, can_read, filter_documents, filter_pages
from working_groups.models import WorkingGroupPage

from .forms import InterestForm
from .models import Interest, OpportunityPage

PAGE_SIZE = 12

# The state filter of the index, by its value in the address (French, like the site's other filters).
STATE_OPEN = "ouvertes"  # open and closing soon: the default
STATE_CLOSING = "bientot"
STATE_CLOSED = "cloturees"
STATE_ALL = "toutes"
STATE_CHOICES = [
    (STATE_OPEN, _("Still open")),
    (STATE_CLOSING, _("Closing soon")),
    (STATE_CLOSED, _("Already closed")),
    (STATE_ALL, _("Every state")),
]


def closing_limit(day):
    return day + datetime.timedelta(days=settings.CERCLE_OPPORTUNITY_CLOSING_DAYS)


def visible_opportunities(viewer, index=None):
    """The live opportunities this viewer may know exist (every member: the teasers), without their body."""
    opportunities = OpportunityPage.objects.live()
    if index is not None:
        opportunities = opportunities.child_of(index)
    return filter_pages(viewer, opportunities).select_related("cercle_audience").defer("body", "attachments")


def by_state(queryset, state, day):
    """Keep the opportunities in one state, computed in the database from the deadline, as `state()` does."""
    if state == STATE_CLOSED:
        return queryset.filter(deadline__lt=day)
    if state == STATE_CLOSING:
        return queryset.filter(deadline__gte=day, deadline__lte=closing_limit(day))
    if state == STATE_ALL:
        return queryset
    return queryset.filter(Q(deadline__isnull=True) | Q(deadline__gte=day))


def in_reading_order(queryset, day):
    """Open ones first, the nearest deadline first (those without a deadline after them); closed ones
    last, the most recently closed first."""
    return queryset.annotate(
        closed=Case(When(deadline__lt=day, then=Value(1)), default=Value(0), output_field=IntegerField()),
        open_deadline=Case(When(deadline__gte=day, then=F("deadline")), default=None),
    ).order_by("closed", F("open_deadline").asc(nulls_last=True), F("deadline").desc(nulls_last=True), "-pk")


def mark(viewer, opportunities, day):
    """Tell each opportunity whether this viewer reads it in full, and its state (no query)."""
    for opportunity in opportunities:
        opportunity.viewer_reads = can_read(viewer, opportunity)
        opportunity.current_state = opportunity.state(day)
    return opportunities


def known_clusters(viewer, clusters=None):
    """The live clusters this viewer may know exist: a private cluster's name stays with its members."""
    clusters = WorkingGroupPage.objects.all() if clusters is None else clusters
    return (
        filter_pages(viewer, clusters.filter(kind=WorkingGroupPage.Kind.CLUSTER).live())
        .only("pk", "title", "slug", "locale_id")
        .order_by("title")
    )


def opportunity_clusters(opportunity):
    """The opportunity's clusters as a queryset to filter: the saved relation, or in a preview the clusters
    chosen in the form (which exist only in memory until the page is saved)."""
    chosen = opportunity.clusters.all()
    if isinstance(chosen, QuerySet):
        return chosen
    return WorkingGroupPage.objects.filter(pk__in=[cluster.pk for cluster in chosen])


def _param(request, name):
    """A filter's value from the address: PostgreSQL refuses a NUL byte in a query (a 500), and no slug is
    longer than Wagtail's or taggit's columns."""
    return request.GET.get(name, "").replace("\x00", "").strip()[:255]


def opportunity_listing(request, index):
    """The index: filters by kind, cluster, sector and state; open ones first by deadline; paginated."""
    viewer = Viewer.for_request(request)
    day = timezone.localdate()
    visible = visible_opportunities(viewer, index)
    kinds = dict(OpportunityPage.Kind.choices)

    kind, cluster, sector, state = (_param(request, name) for name in ("type", "grappe", "secteur", "etat"))
    kind = kind if kind in kinds else ""  # an unknown value filters nothing rather than failing
    state = state if state in dict(STATE_CHOICES) else STATE_OPEN

    opportunities = visible
    if kind:
        opportunities = opportunities.filter(kind=kind)
    if cluster:
        # Only a cluster the viewer may know filters: whether a private one has opportunities is not told.
        opportunities = opportunities.filter(clusters__in=known_clusters(viewer).filter(slug=cluster).values("pk"))
    if sector:
        opportunities = opportunities.filter(sectors__slug=sector)
    # The state counts follow the other filters, in one query.
    counts = opportunities.aggregate(
        open=Count("pk", filter=Q(deadline__isnull=True) | Q(deadline__gte=day)),
        closing=Count("pk", filter=Q(deadline__gte=day, deadline__lte=closing_limit(day))),
        closed=Count("pk", filter=Q(deadline__lt=day)),
    )
    counts["all"] = counts["open"] + counts["closed"]
    opportunities = in_reading_order(by_state(opportunities, state, day), day)

    if viewer.is_authenticated:  # the viewer's own interests, marked in the same query
        mine = Interest.objects.filter(opportunity_id=OuterRef("pk"), user_id=viewer.user.pk)
        opportunities = opportunities.annotate(viewer_interested=Exists(mine))
    state_counts = {STATE_OPEN: counts["open"], STATE_CLOSING: counts["closing"], STATE_CLOSED: counts["closed"]}
    state_counts[STATE_ALL] = counts["all"]

    paginator = Paginator(opportunities, PAGE_SIZE)
    paginator.count = state_counts[state]  # already counted above: no second COUNT query
    page = paginator.get_page(request.GET.get("page"))  # a wrong number gives the first or last page
    page.object_list = list(page.object_list)
    prefetch_related_objects(
        page.object_list,
        "sectors",
        Prefetch("clusters", queryset=known_clusters(viewer), to_attr="known_clusters"),
    )
    mark(viewer, page.object_list, day)

    sectors = (
        Tag.objects.filter(opportunities_opportunitysector_items__content_object__in=visible.values("pk"))
        .annotate(count=Count("pk"))
        .order_by("name")
    )
    return {
        "viewer": viewer,
        "opportunities": page,
        "kinds": list(kinds.items()),
        "clusters": list(known_clusters(viewer)),
        "sectors": list(sectors),
        "states": [(value, label, state_counts[value]) for value, label in STATE_CHOICES],
        "current_kind": kind,
        "current_cluster": cluster,
        "current_sector": sector,
        "current_state": state,
        "filtered": bool(kind or cluster or sector or state != STATE_OPEN),
        "today": day,
    }


def opportunity_context(request, opportunity):
    """An opportunity's page: the premium part (details, contact, link, attachments, budget, the interest
    form) only for those who read it in full; the teaser and the invitation to upgrade otherwise."""
    viewer = Viewer.for_request(request)
    decision = getattr(request, "page_decision", None)
    reads = decision.full if decision is not None else can_read(viewer, opportunity)
    day = timezone.localdate()
    context = {
        "viewer": viewer,
        "reads_in_full": reads,
        "state": opportunity.state(day),
        "sectors": list(opportunity.sectors.all()),
        # Through the policy, and from the form's choice in a preview (the relation is then in memory).
        "clusters": list(known_clusters(viewer, opportunity_clusters(opportunity))),
        "index": opportunity.get_parent(),  # cached by Wagtail's routing: no query when served
        "attachments": [],
        "interest": None,
        "may_express_interest": False,
    }
    if not reads:
        return context
    context["attachments"] = readable_attachments(viewer, opportunity)
    if viewer.is_member and opportunity.pk:
        context["may_express_interest"] = True
        interest = Interest.objects.filter(opportunity_id=opportunity.pk, user=viewer.user).first()
        context["interest"] = interest
        context["interest_form"] = InterestForm(initial={"message": interest.message if interest else ""})
    return context


def readable_attachments(viewer, opportunity):
    """The attached documents this viewer may download (one query), in the editors' order."""
    # The raw ids: no query to load documents that the policy's filter loads again.
    ids = [item.get("value") for item in opportunity.attachments.raw_data if item.get("type") == "document"]
    ids = [pk for pk in ids if isinstance(pk, int)]
    if not ids:
        return []
    documents = filter_documents(viewer, get_document_model().objects.filter(pk__in=ids)).in_bulk()
    return [documents[pk] for pk in ids if pk in documents]
