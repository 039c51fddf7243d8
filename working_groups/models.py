"""Working groups and technology clusters: their spaces, their members and their meeting notes."""

from collections import namedtuple

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.blocks import StreamBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from members.models import Audience

from .blocks import OutcomeBlock
from .forms import MeetingNoteForm
from .widgets import PeopleChooser

# Who may know a group exists, who may read it, and the group that holds both when it is private.
GroupAudience = namedtuple("GroupAudience", "know read group_id")

# A permission only the club staff's role holds (members/roles.py); superusers have it too.
STAFF_ONLY_PERMISSION = "members.change_membership"


def without_teaser(decision):
    """A group space has no teaser: a member who may only know it exists (a basic member at a cluster's
    door, or at one of its meeting notes) is refused with the reason that explains the premium tier."""
    from members.access import Decision

    return Decision(Decision.FORBIDDEN, "premium") if decision.teaser else decision


def refuse_teaser(request):
    """The refusal a group page or note answers instead of a teaser, or None to serve it."""
    from members.gates import denial_response

    decision = getattr(request, "page_decision", None)
    if decision is not None and decision.teaser:
        return denial_response(request, without_teaser(decision))
    return None


class WorkingGroupIndexPage(Page):
    """ "Groupes de travail": the list of the groups and clusters a member may know of."""

    # members/page_cache.py: the same for every viewer of a kind, so kept for members too.
    page_cache = True

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["working_groups.WorkingGroupPage"]
    max_count = 1

    class Meta:
        verbose_name = _("working groups index")

    def get_declared_audience(self):
        return (Audience.MEMBERS, Audience.MEMBERS, None)

    def get_context(self, request, *args, **kwargs):
        from .listing import groups_for

        context = super().get_context(request, *args, **kwargs)
        context.update(groups_for(request, self))
        return context


class WorkingGroupPage(Page):
    """The space of one working group or technology cluster, run by its leads."""

    class Kind(models.TextChoices):
        THEMATIC = "thematic", _("Thematic working group")
        CLUSTER = "cluster", _("Technology cluster")

    class Visibility(models.TextChoices):
        MEMBERS = "members", _("Members: every member may read it")
        PREMIUM = "premium", _("Premium: premium members only (the clusters)")
        PRIVATE = "private", _("Private: only its members know it exists")

    class JoinPolicy(models.TextChoices):
        OPEN = "open", _("Open: a click, for those entitled")
        REQUEST = "request", _("On request: the leads approve")
        INVITATION = "invitation", _("By invitation of a lead only")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.THEMATIC)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    purpose = RichTextField(_("purpose"), features=["bold", "italic", "link", "ul", "ol"])
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    join_policy = models.CharField(_("joining"), max_length=12, choices=JoinPolicy.choices, default=JoinPolicy.OPEN)
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        verbose_name=_("document collection"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("theme")]),
        FieldPanel("purpose"),
    ]
    settings_panels = Page.settings_panels + [
        MultiFieldPanel(
            [
                # Leads edit their group's page, but who may see the group is the club staff's call: a
                # lead must not open a private group (the board's) to every member with one click.
                FieldPanel("visibility", permission=STAFF_ONLY_PERMISSION),
                FieldPanel("join_policy"),
            ],
            heading=_("Access"),
        )
    ]
    search_fields = Page.search_fields + [index.SearchField("theme"), index.SearchField("purpose")]
    parent_page_types = ["working_groups.WorkingGroupIndexPage"]
    subpage_types = ["working_groups.MeetingNotePage"]

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        # The index sorts by kind first (then by title), and the directory and the watch filter on it.
        indexes = [models.Index(fields=["kind"], name="group_kind")]

    @property
    def audience(self):
        """The policy's audiences for this group's visibility: the one place the mapping is written.

        The page, its notes, its document collection and who may be added all follow from it."""
        if self.visibility == self.Visibility.PRIVATE:
            return GroupAudience(Audience.GROUP, Audience.GROUP, self.pk)
        if self.visibility == self.Visibility.PREMIUM:
            # Members know the clusters exist (the index shows them with a premium badge); only premium
            # members enter. A basic member at the door gets the 403 that explains the premium tier.
            return GroupAudience(Audience.MEMBERS, Audience.PREMIUM, None)
        return GroupAudience(Audience.MEMBERS, Audience.MEMBERS, None)

    def get_declared_audience(self):
        return tuple(self.audience)

    def serve(self, request, *args, **kwargs):
        return refuse_teaser(request) or super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from .listing import group_space

        context = super().get_context(request, *args, **kwargs)
        context.update(group_space(request, self))
        return context


class GroupActivity(models.Model):
    """What the index shows of each group and would otherwise compute per row at every view: when a note
    last went live, and how many active members it has. Kept by working_groups/activity.py on each note's
    publication, unpublication, move or deletion and on each membership change; never edited by hand."""

    group = models.OneToOneField(
        WorkingGroupPage, on_delete=models.CASCADE, primary_key=True, related_name="activity", editable=False
    )
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True, editable=False)
    member_count = models.PositiveIntegerField(_("members"), default=0, editable=False)

    class Meta:
        # "My groups" shows the most active first.
        indexes = [models.Index(fields=["-last_activity_at"], name="group_activity_latest")]
        verbose_name = _("group activity")
        verbose_name_plural = _("group activity")

    def __str__(self):
        return f"{self.group_id}: {self.last_activity_at} · {self.member_count}"


class GroupMembership(models.Model):
    """A person's place in a group: lead or member, or a request waiting for the leads."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        MEMBER = "member", _("Member")

    class State(models.TextChoices):
        ACTIVE = "active", _("Member")
        REQUESTED = "requested", _("Request waiting")

    group = models.ForeignKey(WorkingGroupPage, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ACTIVE)
    joined_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_group")]
        ordering = ["role", "joined_at"]  # leads first
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")

    def __str__(self):
        return f"{self.user} · {self.group} · {self.get_role_display()}"


class MeetingNotePage(Page):
    """The notes of one meeting of a group: who came, the agenda, what was decided and who does what."""

    # members/page_cache.py: the same for every viewer of a kind, so kept for members too.
    page_cache = True

    meeting_date = models.DateField(_("meeting date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    attendees = ParentalManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("attendees"), blank=True, related_name="+"
    )
    agenda = RichTextField(_("agenda"), blank=True, features=["bold", "italic", "link", "ol", "ul"])
    outcomes = StreamField(OutcomeBlock(), verbose_name=_("decisions and action items"), blank=True)
    attachments = StreamField(
        StreamBlock([("document", DocumentChooserBlock(label=_("Document")))]),
        verbose_name=_("attachments"),
        blank=True,
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("meeting_date"), FieldPanel("place"), FieldPanel("video_link")]),
        FieldPanel("attendees", widget=PeopleChooser),
        FieldPanel("agenda"),
        FieldPanel("outcomes"),
        FieldPanel("attachments"),
    ]
    search_fields = Page.search_fields + [index.SearchField("agenda"), index.SearchField("outcomes")]
    parent_page_types = ["working_groups.WorkingGroupPage"]
    subpage_types = []
    base_form_class = MeetingNoteForm

    class Meta:
        ordering = ["-meeting_date"]
        verbose_name = _("meeting note")
        verbose_name_plural = _("meeting notes")

    def serve(self, request, *args, **kwargs):
        # Notes inherit their group's audiences (members may know a cluster's notes exist), and like the
        # group they show nothing to those who may not read them.
        return refuse_teaser(request) or super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Named by their profile's display name: loaded with them, in one query however many came.
        context["attendees"] = list(self.attendees.select_related("profile"))
        return context


class ClusterInterest(models.Model):
    """A member's interest in a technology cluster, shown in the directory and on their profile.

    The profile form offers the live cluster pages the member may know of (working_groups/interests.py)."""

    profile = models.ForeignKey("members.Profile", on_delete=models.CASCADE, related_name="cluster_interests")
    cluster = models.ForeignKey(
        WorkingGroupPage, on_delete=models.CASCADE, related_name="interested", limit_choices_to={"kind": "cluster"}
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "cluster"], name="one_interest_per_cluster")]
        verbose_name = _("cluster of interest")
        verbose_name_plural = _("clusters of interest")

    def __str__(self):
        return f"{self.profile} · {self.cluster}"
