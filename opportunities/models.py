"""Business opportunities and calls for projects: the premium members' programme.

Every member may know an opportunity exists (its teaser: title, kind, issuer, sectors, deadline); only
premium members read it in full, see its contact and attachments, and say they are interested. The
policy (members/access.py) decides; pages here only declare their audiences.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.blocks import StreamBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from members.models import Audience

from .forms import OpportunityForm


class OpportunityIndexPage(Page):
    """ "Opportunités d'affaires": every member sees the list and the teasers; premium members read on."""

    # members/page_cache.py: kept for visitors only (members see the opportunities they are interested in).
    page_cache = "visitors"

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["opportunities.OpportunityPage"]
    max_count = 1

    class Meta:
        verbose_name = _("business opportunities index")

    def get_declared_audience(self):
        return (Audience.MEMBERS, Audience.MEMBERS, None)

    def get_context(self, request, *args, **kwargs):
        from .listing import opportunity_listing  # listings and policy checks live beside the views

        return {**super().get_context(request, *args, **kwargs), **opportunity_listing(request, self)}


class OpportunitySector(TaggedItemBase):
    content_object = ParentalKey("OpportunityPage", on_delete=models.CASCADE, related_name="tagged_items")


class OpportunityPage(Page):
    """One opportunity: a lead, a call for projects, a programme, a tender or a partnership request."""

    class Kind(models.TextChoices):
        BUSINESS = "business", _("Business opportunity")
        CALL_FOR_PROJECTS = "call", _("Call for projects of a competitiveness cluster")
        EUROPEAN_PROGRAMME = "european", _("European programme")
        PUBLIC_TENDER = "tender", _("Public tender")
        PARTNERSHIP = "partnership", _("Partnership request")

    class IssuerKind(models.TextChoices):
        COMPETITIVENESS_CLUSTER = "cluster", _("Competitiveness cluster")
        PUBLIC_BODY = "public", _("Public body")
        MEMBER_COMPANY = "member", _("Member company")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.BUSINESS)
    summary = models.TextField(
        _("summary"), max_length=600, help_text=_("The teaser: every member reads it, premium or not.")
    )
    body = RichTextField(_("details"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ul", "ol"])
    issuer = models.CharField(_("issuer"), max_length=200, help_text=_("Such as MecaTech, BioWin, the Walloon Region."))
    issuer_kind = models.CharField(
        _("kind of issuer"), max_length=10, choices=IssuerKind.choices, default=IssuerKind.OTHER
    )
    issuer_organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("member organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("When the issuer is a member of the club."),
    )
    sectors = ClusterTaggableManager(verbose_name=_("sectors"), through=OpportunitySector, blank=True)
    clusters = ParentalManyToManyField(
        "working_groups.WorkingGroupPage",
        verbose_name=_("clusters"),
        blank=True,
        limit_choices_to={"kind": "cluster"},
        related_name="+",
        help_text=_("Premium members who follow these clusters are alerted when it is published."),
    )
    budget = models.CharField(_("budget"), max_length=120, blank=True, help_text=_("Such as “€250,000 per project”."))
    deadline = models.DateField(
        _("deadline"), null=True, blank=True, db_index=True, help_text=_("Empty: open until withdrawn.")
    )
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    contact_email = models.EmailField(
        _("contact's e-mail"), blank=True, help_text=_("Told of every interest. Empty: the club's staff are.")
    )
    link = models.URLField(_("link"), max_length=500, blank=True)
    attachments = StreamField(
        StreamBlock([("document", DocumentChooserBlock(label=_("Document")))]),
        verbose_name=_("attachments"),
        blank=True,
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("deadline")]),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("issuer"), FieldPanel("issuer_kind")]), FieldPanel("issuer_organisation")],
            heading=_("Issuer"),
        ),
        FieldPanel("body"),
        FieldRowPanel([FieldPanel("budget"), FieldPanel("link")]),
        FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_email")]),
        FieldPanel("sectors"),
        FieldPanel("clusters"),
        FieldPanel("attachments"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("issuer"),
        index.FilterField("kind"),
        index.FilterField("deadline"),
    ]
    parent_page_types = ["opportunities.OpportunityIndexPage"]
    subpage_types = []
    base_form_class = OpportunityForm

    class Meta:
        verbose_name = _("business opportunity")
        verbose_name_plural = _("business opportunities")

    def get_declared_audience(self):
        # The premium programme: every member knows of it (the teaser invites to upgrade); premium reads.
        return (Audience.MEMBERS, Audience.PREMIUM, None)

    def get_context(self, request, *args, **kwargs):
        from .listing import opportunity_context

        return {**super().get_context(request, *args, **kwargs), **opportunity_context(request, self)}

    # --- state from the deadline ------------------------------------------------------------------

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSING_SOON = "closing_soon", _("Closing soon")
        CLOSED = "closed", _("Closed")

    def state(self, day=None):
        """Open, closing soon (the deadline within CERCLE_OPPORTUNITY_CLOSING_DAYS) or closed (passed)."""
        day = day or timezone.localdate()
        if self.deadline is None:
            return self.State.OPEN
        if self.deadline < day:
            return self.State.CLOSED
        if self.deadline <= day + datetime.timedelta(days=settings.CERCLE_OPPORTUNITY_CLOSING_DAYS):
            return self.State.CLOSING_SOON
        return self.State.OPEN

    @property
    def is_closed(self):
        return self.state() == self.State.CLOSED


class Interest(models.Model):
    """A premium member's "I'm interested", with a short message for the opportunity's contact."""

    opportunity = models.ForeignKey(
        OpportunityPage, verbose_name=_("opportunity"), on_delete=models.CASCADE, related_name="interests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="opportunity_interests",
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    notified_at = models.DateTimeField(_("contact told"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["opportunity", "user"], name="one_interest_per_opportunity")]
        verbose_name = _("interest")
        verbose_name_plural = _("interests")

    def __str__(self):
        return f"{self.user} · {self.opportunity}"


class AlertSent(models.Model):
    """That a member was alerted of an opportunity: publishing it again, or a second run, alerts nobody twice."""

    opportunity = models.ForeignKey(OpportunityPage, on_delete=models.CASCADE, related_name="alerts_sent")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["opportunity", "user"], name="one_alert_per_opportunity")]
        verbose_name = _("opportunity alert sent")
        verbose_name_plural = _("opportunity alerts sent")

    def __str__(self):
        return f"{self.user} · {self.opportunity}"
