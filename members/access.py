"""Cercle's access policy: the only place that decides who sees what (DESIGN.md, "the contract").

Everything that serves or lists content asks this module: page serving (the `on_serve_page`
hook), menus, listings, dashboards, feeds, search and document downloads. It works on a `Viewer` built
once per request, and offers both per-object answers (`decide`, `can_know`, `can_read`) and queryset
filters (`filter_pages`, `audience_q`) that give the same answers inside the database.

Every page has two audiences, kept in `PageAudience` rows: who may *know* it exists (title, summary,
teaser) and who may *read* it in full. A page declares its own (`get_declared_audience()`) or inherits
its section's.
"""

import dataclasses
import datetime
from functools import cached_property

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import roles
from .models import (
    TIER_RANK,
    Audience,
    Category,
    Charter,
    CharterSignature,
    CollectionAudience,
    Membership,
    OrganisationMembership,
    PageAudience,
    Profile,
    Tier,
)
from .services import person_name

# ---------------------------------------------------------------------------------------------
# Who is looking: the Viewer
# ---------------------------------------------------------------------------------------------

# Roles whose holders work in the Wagtail admin (staff, the watch's editors and contributors, group leads).
ADMIN_ROLES = frozenset({roles.CLUB_STAFF, roles.TECHWATCH_EDITORS, roles.TECHWATCH_CONTRIBUTORS, roles.GROUP_LEADS})

# Apps that own groups (working_groups) register a function user -> (member_group_ids, led_group_ids);
# members cannot import them, so they come to the policy instead.
_group_providers = []


def register_group_provider(provider, sources=()):
    """`sources`: the models whose rows (with a `user_id`) make someone a member of a group; writing one
    renews that person's entitlements (members/entitlements.py) and the kept pages (members/page_cache.py)."""
    if provider not in _group_providers:
        _group_providers.append(provider)
    from .entitlements import watch_person_rows
    from .page_cache import renew_pages_on

    for model in sources:
        watch_person_rows(model)
        renew_pages_on(model)  # lists of groups show their leads and members
    return provider


@dataclasses.dataclass
class Viewer:
    """What the policy needs to know about the person behind a request, computed once."""

    user: object
    day: object = None
    # Facts kept in the session (members/entitlements.py): the answers below then cost no query.
    facts: dict = dataclasses.field(default=None, repr=False)

    def __post_init__(self):
        self.day = self.day or timezone.localdate()

    @classmethod
    def for_request(cls, request):
        viewer = getattr(request, "_cercle_viewer", None)
        if viewer is None or viewer.user is not getattr(request, "user", None):
            viewer = cls(getattr(request, "user", None) or AnonymousUser())
            session = getattr(request, "session", None)
            if session is not None and viewer.is_authenticated:
                from . import entitlements

                viewer.facts = entitlements.facts_from_session(session, viewer.user.pk, viewer.day)
                if viewer.facts is None:
                    viewer.keep_in_session(session)
            request._cercle_viewer = viewer
        return viewer

    def compute_facts(self):
        """Everything the policy asks about this person today, as plain values a session can keep."""
        valid_until = self.valid_until
        return {
            "day": self.day.isoformat(),
            "name": person_name(self.user),
            # The private feeds' secret, put back in kept pages (members/page_cache.py); never in a key.
            "feed_token": getattr(getattr(self.user, "profile", None), "feed_token", "") or "",
            "superuser": bool(self.user.is_superuser),
            "roles": sorted(self.role_names),
            "tier": self.tier,
            "valid_until": valid_until.isoformat() if valid_until else None,
            "expired": bool(self.is_expired),
            "category": self.category,
            "signed": bool(self.has_signed_charter),
            "groups": sorted(self._groups[0]),
            "led": sorted(self._groups[1]),
            "edited": list(self._edited_raw[0]),
            "edited_collections": list(self._edited_raw[1]),
            "card": self.membership_card,
        }

    def keep_in_session(self, session):
        """Compute this person's facts and keep them in the session (stamps read first: a change made
        meanwhile leaves them out of date instead of hidden)."""
        from . import entitlements

        stamps = entitlements.stamps_for(self.user.pk)
        self.facts = None
        facts = self.compute_facts()
        entitlements.keep_facts(session, self.user.pk, facts, stamps)
        self.facts = facts
        return facts

    @property
    def is_authenticated(self):
        return bool(self.user and self.user.is_authenticated and self.user.is_active)

    @cached_property
    def role_names(self):
        if not self.is_authenticated:
            return frozenset()
        if self.facts is not None:
            return frozenset(self.facts["roles"])
        return frozenset(self.user.groups.values_list("name", flat=True))

    @property
    def is_staff(self):
        """Club staff see everything."""
        return self.is_authenticated and (self.user.is_superuser or roles.CLUB_STAFF in self.role_names)

    @property
    def is_techwatch_editor(self):
        return self.is_authenticated and roles.TECHWATCH_EDITORS in self.role_names

    @cached_property
    def _memberships(self):
        """(own valid membership, organisation period giving this person a seat, had any membership before)."""
        if not self.is_authenticated:
            return None, None, False
        own = list(Membership.objects.filter(user=self.user).order_by("-valid_from"))
        valid = [m for m in own if m.is_valid_on(self.day)]
        best_own = max(valid, key=lambda m: TIER_RANK[m.tier], default=None)
        org_period, org_had = self._organisation_period()
        return best_own, org_period, bool(own) or org_had

    def _organisation_period(self):
        """The organisation's current period if this person holds one of its seats, and whether it ever had one."""
        try:
            profile = self.user.profile  # loaded with the user by members.backends.MemberBackend
        except Profile.DoesNotExist:
            profile = None
        if profile is None or profile.organisation_id is None:
            return None, False
        periods = OrganisationMembership.objects.filter(organisation_id=profile.organisation_id)
        current = periods.valid_on(self.day).select_related("organisation").order_by("-tier", "-seats").first()
        if current is None:  # "premium" sorts after "basic", hence -tier
            return None, periods.filter(valid_from__lte=self.day).exists()
        seat_holders = (
            Profile.objects.filter(organisation_id=profile.organisation_id)
            .order_by("joined_organisation_at", "pk")
            .values_list("user_id", flat=True)[: current.seats]
        )
        return (current if self.user.pk in list(seat_holders) else None), True

    @property
    def membership(self):
        return self._memberships[0]

    @property
    def organisation_membership(self):
        return self._memberships[1]

    @property
    def tier(self):
        """The best of the person's own valid membership and their organisation's (within its seats)."""
        if self.facts is not None:
            return self.facts["tier"]
        own, org_period, _had = self._memberships
        return max([own.tier if own else None, org_period.tier if org_period else None], key=TIER_RANK.__getitem__)

    @property
    def valid_until(self):
        """When the membership that gives the current tier ends (None: open-ended or none)."""
        if self.facts is not None:
            until = self.facts["valid_until"]
            return datetime.date.fromisoformat(until) if until else None
        own, org_period, _had = self._memberships
        ends = [p.valid_until for p in (own, org_period) if p is not None and p.tier == self.tier]
        return max((d for d in ends if d), default=None)

    @property
    def has_valid_membership(self):
        return self.tier is not None

    @property
    def is_expired(self):
        """Had a membership, has none today: a visitor again, with a renewal notice."""
        if self.facts is not None:
            return self.is_authenticated and self.facts["expired"]
        return self.is_authenticated and not self.has_valid_membership and self._memberships[2]

    @property
    def category(self):
        if self.facts is not None:
            return self.facts["category"]
        return self.membership.category if self.membership else None

    @property
    def is_effective_member(self):
        return self.has_valid_membership and self.category == Category.EFFECTIVE

    @cached_property
    def _charter(self):
        """(the charter in force, whether this person signed it), in one query."""
        from django.db.models import Exists, OuterRef

        charters = Charter.objects.in_force(self.day)
        if self.is_authenticated:
            signed = CharterSignature.objects.filter(charter=OuterRef("pk"), user=self.user)
            charters = charters.annotate(signed_by_viewer=Exists(signed))
        charter = charters.first()
        return charter, bool(charter is None or getattr(charter, "signed_by_viewer", False))

    @property
    def current_charter(self):
        return self._charter[0]

    @cached_property
    def membership_card(self):
        """What the dashboard's membership and charter cards say, as plain values (kept with the facts, so
        that the dashboard does not ask five queries to say it): the category of the person's own
        membership, the organisation it names, the organisation whose seat they hold, and the version of
        the charter in force (None when there is none)."""
        if self.facts is not None:  # facts of an older shape are never used (entitlements.FACTS_VERSION)
            return self.facts["card"]
        own, seat = self.membership, self.organisation_membership
        charter = self.current_charter
        return {
            "category": own.category if own else "",
            "organisation": own.organisation.name if own and own.organisation_id and not seat else "",
            "seat": seat.organisation.name if seat else "",
            "charter_version": charter.version if charter else None,
        }

    @property
    def membership_category_label(self):
        category = self.membership_card["category"]
        return Category(category).label if category in Category.values else ""

    @cached_property
    def has_signed_charter(self):
        if not self.is_authenticated:
            return False
        if self.facts is not None:
            return self.facts["signed"]
        if getattr(self.user, "cercle_charter_day", None) == self.day:  # loaded with the user (backends.py)
            return self.user.cercle_charter_id is None or self.user.cercle_signed_charter
        return self._charter[1]

    @property
    def may_use_admin(self):
        """Staff, editors and group leads work in the Wagtail admin; nobody else is offered it."""
        return self.is_authenticated and (self.user.is_superuser or bool(self.role_names & ADMIN_ROLES))

    @property
    def needs_charter(self):
        """A member who has not signed the current charter reaches no member content until they do."""
        return self.has_valid_membership and not self.is_staff and not self.has_signed_charter

    @property
    def is_member(self):
        """Entitled to member content: a valid membership and the current charter signed."""
        return self.has_valid_membership and self.has_signed_charter

    @property
    def is_premium(self):
        return self.is_member and self.tier == Tier.PREMIUM

    @cached_property
    def _groups(self):
        if self.facts is not None:
            return frozenset(self.facts["groups"]), frozenset(self.facts["led"])
        member_ids, led_ids = set(), set()
        if self.is_authenticated:
            for provider in _group_providers:
                members, leads = provider(self.user)
                member_ids.update(members)
                led_ids.update(leads)
        return frozenset(member_ids | led_ids), frozenset(led_ids)

    @property
    def group_ids(self):
        """Working groups the viewer belongs to (leads included); only counted while a member."""
        return self._groups[0] if self.is_member else frozenset()

    @property
    def led_group_ids(self):
        return self._groups[1] if self.is_member else frozenset()

    @property
    def _edited(self):
        """(page paths, collection paths) this viewer edits in the admin: the technology watch for its
        editors, a group's space for its leads. Whoever may edit something may read it, while a member."""
        if not self.is_member:
            return (), ()
        return self._edited_raw

    @cached_property
    def _edited_raw(self):
        if self.facts is not None:
            return tuple(self.facts["edited"]), tuple(self.facts["edited_collections"])
        if self.is_staff or not self.may_use_admin:
            return (), ()
        from wagtail.models import GroupCollectionPermission, GroupPagePermission

        pages = GroupPagePermission.objects.filter(group__user=self.user, permission__codename="change_page")
        # Choosing a document in the admin shows it already: whoever may choose it may download it.
        collections = GroupCollectionPermission.objects.filter(
            group__user=self.user, permission__codename__in=["change_document", "choose_document"]
        )
        return (
            tuple(sorted(set(pages.values_list("page__path", flat=True)))),
            tuple(sorted(set(collections.values_list("collection__path", flat=True)))),
        )

    @property
    def edited_paths(self):
        return self._edited[0]

    @property
    def edited_collection_paths(self):
        return self._edited[1]

    def edits(self, page):
        return any(page.path.startswith(path) for path in self.edited_paths)

    def edits_collection(self, collection):
        return any(collection.path.startswith(path) for path in self.edited_collection_paths)

    @property
    def audiences(self):
        """The audiences (other than a group's) this viewer satisfies; staff satisfy all of them."""
        if self.is_staff:
            return frozenset(Audience.values)
        granted = {Audience.PUBLIC}
        if self.is_member:
            granted.add(Audience.MEMBERS)
        # Editors' extra reach is limited to the technology watch, which grants it there itself:
        # a basic-tier editor does not enter the clusters.
        if self.is_premium:
            granted.add(Audience.PREMIUM)
        return frozenset(granted)

    @property
    def kind_key(self):
        """`kind` made short for cache keys (a member of forty groups has a long kind)."""
        import hashlib

        return hashlib.md5(self.kind.encode(), usedforsecurity=False).hexdigest()

    @property
    def kind(self):
        """A short word for logs and cache keys: what this viewer is entitled to, not who they are."""
        if self.is_staff:
            return "staff"
        parts = sorted(self.audiences) + [f"g{gid}" for gid in sorted(self.group_ids)]
        if self.edited_paths:
            import hashlib

            parts.append("e" + hashlib.md5(",".join(self.edited_paths).encode()).hexdigest()[:10])
        return "-".join(parts)


# ---------------------------------------------------------------------------------------------
# The answers
# ---------------------------------------------------------------------------------------------


def satisfies(viewer, audience, group_id=None):
    if audience == Audience.GROUP:
        return viewer.is_staff or (group_id is not None and group_id in viewer.group_ids)
    return audience in viewer.audiences


def audience_q(viewer, field="know", group_field="group_id", prefix=""):
    """A Q object that keeps the rows whose audience `field` this viewer satisfies."""
    if viewer.is_staff:
        return Q()
    q = Q(**{f"{prefix}{field}__in": [a for a in viewer.audiences if a != Audience.GROUP]})
    if viewer.group_ids:
        q |= Q(**{f"{prefix}{field}": Audience.GROUP, f"{prefix}{group_field}__in": list(viewer.group_ids)})
    return q


def filter_pages(viewer, queryset, need="know"):
    """Pages of `queryset` this viewer may know exist (need="know") or read in full (need="read")."""
    if viewer.is_staff:
        return queryset
    allowed = audience_q(viewer, field=need, prefix="cercle_audience__")
    for path in viewer.edited_paths:
        allowed |= Q(path__startswith=path)
    return queryset.filter(allowed)


def pages_visible_to(request, queryset):
    """Shortcut for templates and menus: the pages the person behind `request` may know exist."""
    return filter_pages(Viewer.for_request(request), queryset)


@dataclasses.dataclass(frozen=True)
class Decision:
    FULL = "full"
    TEASER = "teaser"
    LOGIN = "login"
    CHARTER = "charter"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"

    outcome: str
    reason: str = ""  # for FORBIDDEN: "premium", "renewal" or "members"

    @property
    def full(self):
        return self.outcome == self.FULL

    @property
    def teaser(self):
        return self.outcome == self.TEASER

    @property
    def allowed(self):
        return self.outcome in (self.FULL, self.TEASER)


FORBIDDEN_REASONS = {
    "premium": _("This part of the club is reserved for premium members."),
    "renewal": _("Your membership has ended. Renew it to find the members' area again."),
    "members": _("This part of the club is reserved for members."),
}


def decide(viewer, page):
    """What this viewer gets of this page: all of it, a teaser, or which refusal (DESIGN.md table)."""
    if viewer.edits(page):
        return Decision(Decision.FULL)
    audience = page_audience(page)
    return decide_audience(viewer, audience.know, audience.read, audience.group_id)


def decide_audience(viewer, know, read=None, group_id=None):
    """The same answer for anything with audiences: a page, a collection of documents, a view."""
    read = read or know
    if satisfies(viewer, read, group_id):
        return Decision(Decision.FULL)
    if satisfies(viewer, know, group_id):
        return Decision(Decision.TEASER)
    if know in (Audience.GROUP, Audience.STAFF):
        return Decision(Decision.NOT_FOUND)  # its existence is not revealed
    if not viewer.is_authenticated:
        return Decision(Decision.LOGIN)
    if viewer.needs_charter:
        return Decision(Decision.CHARTER)
    if viewer.is_expired:
        return Decision(Decision.FORBIDDEN, "renewal")
    if know == Audience.PREMIUM and viewer.is_member:
        return Decision(Decision.FORBIDDEN, "premium")
    return Decision(Decision.FORBIDDEN, "members")


def may_invite(viewer):
    """Staff invite; effective members too, unless the club turned that off."""
    from django.conf import settings

    if viewer.is_staff:
        return True
    return settings.CERCLE_EFFECTIVE_MEMBERS_MAY_INVITE and viewer.is_effective_member


def can_know(viewer, page):
    return decide(viewer, page).allowed


def can_read(viewer, page):
    return decide(viewer, page).full


# ---------------------------------------------------------------------------------------------
# Page audiences: declared by pages, inherited by sections, stored for SQL
# ---------------------------------------------------------------------------------------------


def declared_audience(page):
    """(know, read, group_id) that a page declares for itself, or None to inherit its section's."""
    specific = page.specific_deferred if type(page).__name__ == "Page" else page
    declare = getattr(specific, "get_declared_audience", None)
    return declare() if declare else None


def _restriction_audience(page):
    """Wagtail's own privacy settings on this page, mapped onto the club's audiences."""
    from wagtail.models import PageViewRestriction

    strictest = None
    for restriction in PageViewRestriction.objects.filter(page=page).prefetch_related("groups"):
        if restriction.restriction_type == PageViewRestriction.LOGIN:
            audience = Audience.MEMBERS
        elif restriction.restriction_type == PageViewRestriction.GROUPS:
            names = {group.name for group in restriction.groups.all()}
            if roles.MEMBERS in names and names <= {roles.MEMBERS, roles.PREMIUM_MEMBERS}:
                audience = Audience.MEMBERS
            elif names == {roles.PREMIUM_MEMBERS}:
                audience = Audience.PREMIUM
            else:
                audience = Audience.STAFF
        else:  # a shared password cannot be checked in a listing: staff only there
            audience = Audience.STAFF
        strictest = audience if strictest is None else _stricter(strictest, audience)
    return strictest


_STRICTNESS = [Audience.PUBLIC, Audience.MEMBERS, Audience.PREMIUM, Audience.GROUP, Audience.STAFF]


def _stricter(a, b):
    return a if _STRICTNESS.index(a) >= _STRICTNESS.index(b) else b


def compute_page_audience(page, parent_audience=None):
    """The (know, read, group_id) a page should have now."""
    if parent_audience is None and page.depth > 1:
        parent = page.get_parent()
        parent_audience = page_audience(parent) if parent is not None else None
    declared = declared_audience(page)
    if declared is not None:
        know, read, group_id = declared
    elif parent_audience is not None:
        know, read, group_id = parent_audience.know, parent_audience.read, parent_audience.group_id
    else:
        know, read, group_id = Audience.PUBLIC, Audience.PUBLIC, None
    restricted = _restriction_audience(page)
    if restricted is not None:
        know, read = _stricter(know, restricted), _stricter(read, restricted)
    return know, read, group_id


def refresh_page_audience(page, cascade=True):
    """Store a page's audiences, and its descendants' if they changed. Returns the row."""
    know, read, group_id = compute_page_audience(page)
    row, created = PageAudience.objects.get_or_create(
        page_id=page.pk, defaults={"know": know, "read": read, "group_id": group_id}
    )
    changed = created or (row.know, row.read, row.group_id) != (know, read, group_id)
    if changed and not created:
        row.know, row.read, row.group_id = know, read, group_id
        row.save(update_fields=["know", "read", "group_id"])
    if changed and cascade and page.numchild:
        from wagtail.models import Page

        rows_by_path = {page.path: row}
        for descendant in page.get_descendants().order_by("path").specific(defer=True):
            parent_row = rows_by_path.get(descendant.path[: -Page.steplen])
            know, read, group_id = compute_page_audience(descendant, parent_audience=parent_row)
            rows_by_path[descendant.path], _ = PageAudience.objects.update_or_create(
                page_id=descendant.pk, defaults={"know": know, "read": read, "group_id": group_id}
            )
    return row


def page_audience(page):
    """The stored audiences of a page, computed now if the page has none yet."""
    try:
        return page.cercle_audience
    except PageAudience.DoesNotExist:
        return refresh_page_audience(page, cascade=False)


def refresh_missing_audiences():
    """Give every page without a stored audience its row (pages are hidden from lists until then)."""
    from wagtail.models import Page

    for page in Page.objects.filter(depth__gt=1, cercle_audience__isnull=True).order_by("path"):
        refresh_page_audience(page, cascade=False)


# ---------------------------------------------------------------------------------------------
# Documents: served through Django, by collection
# ---------------------------------------------------------------------------------------------


def collection_audience(collection_id):
    row = CollectionAudience.objects.filter(collection_id=collection_id).first()
    return (row.audience, row.group_id) if row else (Audience.MEMBERS, None)


def decide_document(viewer, document):
    """Documents are read by collection; those who edit a collection (the watch's editors) read it too."""
    audience, group_id = collection_audience(document.collection_id)
    decision = decide_audience(viewer, audience, group_id=group_id)
    if not decision.full and viewer.is_authenticated and viewer.edits_collection(document.collection):
        return Decision(Decision.FULL)
    return decision


def can_download(viewer, document):
    return decide_document(viewer, document).full


def filter_documents(viewer, queryset):
    """Documents this viewer may download; a collection without an audience row is for members."""
    if viewer.is_staff:
        return queryset
    allowed = Q(collection__audience__isnull=True) if Audience.MEMBERS in viewer.audiences else Q(pk__in=[])
    allowed |= audience_q(viewer, field="audience", prefix="collection__audience__")
    for path in viewer.edited_collection_paths:
        allowed |= Q(collection__path__startswith=path)
    return queryset.filter(allowed)


# ---------------------------------------------------------------------------------------------
# People: the directory, profiles, organisation pages, the search's people block
# ---------------------------------------------------------------------------------------------


class AnotherMember:
    """A stand-in viewer: another member, basic tier, who shares no group with anyone; the most modest
    reader the directory has. A member's preview of their own profile (`?as=member`) is shown to it.

    It answers the questions this module asks of a viewer as such a member's Viewer would, and owns no
    account: it may never be used to authorise a write."""

    is_staff = False
    is_authenticated = True
    is_member = True
    is_premium = False
    audiences = frozenset({Audience.PUBLIC, Audience.MEMBERS})
    group_ids = frozenset()
    led_group_ids = frozenset()
    edited_paths = ()
    user = AnonymousUser()


def may_see_directory(viewer):
    """The directory and members' profiles are for members (and staff); never visitors or expired members."""
    return viewer.is_staff or viewer.is_member


def visible_profile_fields(viewer, profile):
    """The fields of `profile` (models.DIRECTORY_FIELDS) this viewer may see.

    Its owner and staff see every field; other members see the fields the member opted into; anyone
    else sees none. An anonymised profile shows nothing to anyone but staff.
    """
    from .models import DIRECTORY_FIELDS

    if viewer.is_staff:
        return frozenset(DIRECTORY_FIELDS)
    if viewer.is_authenticated and profile.user_id == viewer.user.pk:
        return frozenset(DIRECTORY_FIELDS)
    if not may_see_directory(viewer) or profile.anonymised_at is not None:
        return frozenset()
    return profile.shown_fields


def profile_field_q(viewer, field, prefix=""):
    """A Q keeping the profiles whose `field` this viewer may see (for filters, facets and text search:
    a hidden job title must not be found by searching for it)."""
    if viewer.is_staff:
        return Q()
    shown = Q(**{f"{prefix}show_{field}": True})
    if viewer.is_authenticated:
        shown |= Q(**{f"{prefix}user_id": viewer.user.pk})
    return shown


# ---------------------------------------------------------------------------------------------
# Conversations: the discussion spaces of the groups, the clusters and the whole club
# ---------------------------------------------------------------------------------------------


def decide_conversation(viewer, know, read, group_id=None):
    """What a viewer gets of a discussion space, its threads and its posts: all of it, or a refusal.

    A space follows its group's audiences (the club-wide one is for members), but it has no teaser: what
    members write to each other is not a preview. Whoever may only know the group exists (a basic member
    at a cluster's space) gets the refusal that explains why; outsiders of a private group get a 404."""
    decision = decide_audience(viewer, know, read, group_id)
    if decision.teaser:
        return Decision(Decision.FORBIDDEN, "premium" if read == Audience.PREMIUM else "members")
    return decision


def may_read_conversation(viewer, know, read, group_id=None):
    return decide_conversation(viewer, know, read, group_id).full


def conversation_q(viewer, prefix=""):
    """A Q keeping the spaces (or, with a prefix such as "space__", their threads and posts) this viewer
    may read: the same answer as `may_read_conversation`, inside the database."""
    return audience_q(viewer, field="read", group_field="audience_group_id", prefix=prefix)


def may_take_part(viewer, know, read, group_id=None, posters_group_id=None):
    """Whoever may read a space writes in it (starts threads, replies, reports), except in a space where
    only its group's members speak (a working group read by every member): there, its members and staff."""
    if not may_read_conversation(viewer, know, read, group_id):
        return False
    if viewer.is_staff or posters_group_id is None:
        return True
    return posters_group_id in viewer.group_ids


def may_moderate(viewer, group_id=None):
    """Staff moderate every space; a group's leads moderate their group's space and no other (the club-wide
    space, which has no group, is the staff's)."""
    return viewer.is_staff or (group_id is not None and group_id in viewer.led_group_ids)
