"""What the group pages show, each list filtered by the access policy, at a fixed number of queries."""

from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from wagtail.documents import get_document_model

from home.i18n import PAGE_LINK_COLUMNS
from members.access import Viewer, can_read, filter_documents, filter_pages

from .feeds import feed_url_for
from .models import GroupMembership, MeetingNotePage, WorkingGroupPage


def _leads_prefetch():
    return Prefetch(
        "memberships",
        queryset=GroupMembership.objects.filter(role="lead", state="active").select_related("user", "user__profile"),
        to_attr="active_leads",
    )


# The index shows this many groups a page: a club of two hundred groups is not one page of two hundred cards.
GROUPS_PER_PAGE = 24
MINE_PARAMETER = "mes-groupes"
# What a card shows of a group, and what its link and language need: the purpose stays in the database.
GROUP_CARD_COLUMNS = PAGE_LINK_COLUMNS + (
    "kind",
    "theme",
    "visibility",
    "cercle_audience__know",
    "cercle_audience__read",
    "cercle_audience__group_id",
    "activity__last_activity_at",
    "activity__member_count",
)


def with_activity(group):
    """The group's member count and last activity, from its GroupActivity row (kept by activity.py)."""
    row = getattr(group, "activity", None)  # loaded with the group; a group without one shows nothing yet
    group.member_count = row.member_count if row else 0
    group.last_activity = row.last_activity_at if row else None
    return group


def groups_for(request, index):
    """One page of the groups of an index this viewer may know of (or of their own groups, on request),
    with counts, leads and last activity: a fixed number of queries, each bounded by the page."""
    viewer = Viewer.for_request(request)
    mine = request.GET.get(MINE_PARAMETER) == "1" and bool(viewer.group_ids)
    groups = filter_pages(viewer, WorkingGroupPage.objects.child_of(index).live())
    if mine:
        groups = groups.filter(pk__in=viewer.group_ids)
    groups = (
        groups.select_related("cercle_audience", "activity").only(*GROUP_CARD_COLUMNS).order_by("kind", "title", "pk")
    )
    page = Paginator(groups, GROUPS_PER_PAGE).get_page(request.GET.get("page"))  # a wrong number: first or last
    page.object_list = [with_activity(group) for group in page.object_list]
    prefetch_related_objects(page.object_list, _leads_prefetch())
    for group in page.object_list:
        group.viewer_is_member = group.pk in viewer.group_ids
        group.viewer_may_enter = can_read(viewer, group)  # the audience row is already loaded: no query
    return {
        "groups": page.object_list,
        "groups_page": page,
        "showing_mine": mine,
        "may_show_mine": bool(viewer.group_ids),
        "mine_parameter": MINE_PARAMETER,
    }


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
