"""The member dashboard's "Opportunités" panel.

Premium members (and staff) see the opportunities they told an interest in, and those closing soon, the
ones in the clusters they follow first. Basic members see the three latest open opportunities as teasers
with an invitation to upgrade: the policy lets them know these exist (their index shows the same
teasers), and the programme is the premium tier's main argument, so hiding it would hide the offer.
Visitors and expired members get no panel. A fixed number of queries, whatever the number of rows.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.access import filter_pages
from members.models import Audience

from .listing import closing_limit
from .models import Interest, OpportunityIndexPage, OpportunityPage

INTERESTS_SHOWN = 5
CLOSING_SHOWN = 5
TEASERS_SHOWN = 3
COLUMNS = ("id", "title", "url_path", "path", "depth", "locale_id", "deadline")


def _index():
    return OpportunityIndexPage.objects.live().only("pk", "url_path", "path", "depth", "locale_id").first()


def opportunities_panel(request, viewer):
    if not viewer.is_member:
        return None
    day = timezone.localdate()
    if Audience.PREMIUM not in viewer.audiences:
        return _teasers(viewer, day)
    index = _index()
    if index is None:  # the club has no programme (yet): one query, no panel
        return None
    readable = filter_pages(viewer, OpportunityPage.objects.live(), need="read")
    interests = list(
        Interest.objects.filter(user=viewer.user, opportunity__in=readable.values("pk"))
        .select_related("opportunity")
        .only("pk", "created_at", "opportunity_id", *(f"opportunity__{column}" for column in COLUMNS))
        .order_by("-created_at")[:INTERESTS_SHOWN]
    )
    for interest in interests:
        interest.opportunity.current_state = interest.opportunity.state(day)
    follows = OpportunityPage.clusters.through.objects.filter(
        opportunitypage_id=OuterRef("pk"), workinggrouppage__interested__profile__user_id=viewer.user.pk
    )
    closing = list(
        readable.filter(deadline__gte=day, deadline__lte=closing_limit(day))
        .annotate(in_my_clusters=Exists(follows))
        .only(*COLUMNS)
        .order_by("-in_my_clusters", "deadline", "pk")[:CLOSING_SHOWN]
    )
    return {"title": _("Opportunities"), "premium": True, "interests": interests, "closing": closing, "index": index}


def _teasers(viewer, day):
    latest = list(
        filter_pages(viewer, OpportunityPage.objects.live())
        .filter(Q(deadline__isnull=True) | Q(deadline__gte=day))
        .only(*COLUMNS, "kind", "first_published_at")
        .order_by("-first_published_at", "-pk")[:TEASERS_SHOWN]
    )
    if not latest:
        return None
    return {"title": _("Opportunities"), "premium": False, "latest": latest, "index": _index()}
