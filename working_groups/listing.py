"""What the group pages show, each list filtered by the access policy, at a fixed number of queries."""

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page

from members.access import Viewer, can_read, filter_documents, filter_pages

from .feeds import feed_url_for
from .models import GroupMembership, MeetingNotePage, WorkingGroupPage


def _leads_prefetch():
    return Prefetch(
        "memberships",
        queryset=GroupMembership.objects.filter(role="lead", state="active").select_related("user", "user__profile"),
        to_attr="active_leads",
    )


def groups_for(request, index):
    """The groups of an index this viewer may know of, with counts, leads and last activity."""
    viewer = Viewer.for_request(request)
    last_note = (
        Page.objects.live()
        .filter(path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1)
        .order_by("-last_published_at")
        .values("last_published_at")[:1]
    )
    groups = (
        filter_pages(viewer, WorkingGroupPage.objects.child_of(index).live())
        .select_related("cercle_audience")
        .annotate(
            member_count=Count("memberships", filter=Q(memberships__state="active"), distinct=True),
            last_activity=Subquery(last_note),
        )
        .prefetch_related(_leads_prefetch())
        .order_by("kind", "title")
    )
    groups = list(groups)
    for group in groups:
        group.viewer_is_member = group.pk in viewer.group_ids
        group.viewer_may_enter = can_read(viewer, group)  # the audience row is already loaded: no query
    return groups


def group_space(request, group):
    """Everything the space of one group shows this viewer."""
    viewer = Viewer.for_request(request)
    today = timezone.localdate()
    notes = filter_pages(viewer, MeetingNotePage.objects.child_of(group).live())
    # Members and requests come in one query: the page needs both (the viewer's own request, the leads'
    # list of requests), and a group has few enough of them to sort in Python.
    rows = list(
        group.memberships.filter(state__in=["active", "requested"])
        .select_related("user", "user__profile")
        .order_by("role", "joined_at")  # "lead" sorts before "member": leads first
    )
    members = [m for m in rows if m.state == "active"]
    waiting = [m for m in rows if m.state == "requested"]
    user_pk = getattr(request.user, "pk", None)
    own = next((m for m in members if m.user_id == user_pk), None)
    is_lead = viewer.is_staff or (own is not None and own.role == "lead")
    documents = []
    if group.collection_id:
        documents = list(
            filter_documents(viewer, get_document_model().objects.filter(collection_id=group.collection_id)).order_by(
                "-created_at"
            )[:20]
        )
    return {
        "viewer_membership": own,
        "viewer_is_lead": is_lead,
        "pending_request": own is None and viewer.is_authenticated and any(m.user_id == user_pk for m in waiting),
        "leads": [m for m in members if m.role == "lead"],
        "members": members,
        "requests": waiting if is_lead else [],
        "upcoming_meetings": list(notes.filter(meeting_date__gte=today).order_by("meeting_date")[:5]),
        "latest_notes": list(notes.filter(meeting_date__lt=today).order_by("-meeting_date")[:10]),
        "documents": documents,
        "feed_url": feed_url_for(request, group),
    }
