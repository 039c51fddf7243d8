"""Who is a member of the club, how one becomes one, and what each page's audience is.

Models stay thin: entitlement rules live in `access.py`, writes that span models in `services.py`.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index


class Tier(models.TextChoices):
    BASIC = "basic", _("Basic")
    PREMIUM = "premium", _("Premium")


class Category(models.TextChoices):
    EFFECTIVE = "effective", _("Effective member")
    ADHERENT = "adherent", _("Adherent member")


class Audience(models.TextChoices):
    """Who may know a page exists, or read it in full (DESIGN.md, the access policy)."""

    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Members")
    PREMIUM = "premium", _("Premium members")
    GROUP = "group", _("Members of the group")
    STAFF = "staff", _("Club staff")


TIER_RANK = {None: 0, Tier.BASIC: 1, Tier.PREMIUM: 2}


class ValidityQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(valid_from__lte=day).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))


class MembershipPeriod(models.Model):
    """A paid period, a person's or an organisation's: renewing adds one, nothing is overwritten."""

    fee = models.DecimalField(_("fee (EUR)"), max_digits=9, decimal_places=2, default=0)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-valid_from"]

    def __str__(self):
        return f"{self.owner} · {self.get_tier_display()} · {self.valid_from}–{self.valid_until or '…'}"

    def is_valid_on(self, day):
        """The same rule as ValidityQuerySet.valid_on, for rows already loaded."""
        return self.valid_from <= day and (self.valid_until is None or self.valid_until >= day)


class Organisation(index.Indexed, models.Model):
    """A member organisation: a corporate, an SME or a public body; its people are members through it."""

    class Kind(models.TextChoices):
        CORPORATE = "corporate", _("Corporate")
        SME = "sme", _("SME")
        PUBLIC = "public", _("Public body")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    website = models.URLField(_("website"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    panels = [FieldPanel("name"), FieldPanel("kind"), FieldPanel("website"), FieldPanel("logo")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("kind")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class OrganisationMembership(MembershipPeriod):
    """One paid period of an organisation's membership."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices)
    seats = models.PositiveIntegerField(_("seats"), default=1, help_text=_("How many of its people it covers."))

    panels = [
        FieldPanel("organisation"),
        FieldRowPanel([FieldPanel("tier"), FieldPanel("seats"), FieldPanel("fee")]),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")]),
    ]

    class Meta(MembershipPeriod.Meta):
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")

    @property
    def owner(self):
        return self.organisation


class Membership(MembershipPeriod):
    """One period of a person's own membership."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.ADHERENT)
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices, default=Tier.BASIC)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The organisation that pays for this membership, if any."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    panels = [
        FieldPanel("user"),
        FieldRowPanel([FieldPanel("category"), FieldPanel("tier")]),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")]),
        FieldRowPanel([FieldPanel("fee"), FieldPanel("organisation")]),
    ]

    class Meta(MembershipPeriod.Meta):
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    @property
    def owner(self):
        return self.user


class Invitation(models.Model):
    """The only way in: a single-use link sent to one e-mail address."""

    class State(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    email = models.EmailField(_("e-mail"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="invitations_sent",
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.ADHERENT)
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices, default=Tier.BASIC)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.SET_NULL
    )
    message = models.TextField(_("personal message"), blank=True)
    # Only a hash of the token is kept: a leaked database does not hand out working links.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SENT)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account created"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} ({self.get_state_display()})"

    @staticmethod
    def hash_token(token):
        return hashlib.sha256(token.encode()).hexdigest()

    def new_token(self):
        """Give the invitation a fresh secret and return it; only its hash is stored."""
        token = secrets.token_urlsafe(32)
        self.token_hash = self.hash_token(token)
        return token

    @property
    def is_expired(self):
        return self.state == self.State.EXPIRED or (self.state == self.State.SENT and self.expires_at <= timezone.now())

    @property
    def is_open(self):
        return self.state == self.State.SENT and not self.is_expired

    @staticmethod
    def default_expiry(now=None):
        days = getattr(settings, "CERCLE_INVITATION_DAYS", 14)
        return (now or timezone.now()) + datetime.timedelta(days=days)


class CharterQuerySet(models.QuerySet):
    def in_force(self, day=None):
        """The versions whose effective date has come by `day` (today by default), the one in force
        first: the club's one definition of "the charter in force" is `in_force(day).first()`."""
        return self.filter(effective_date__lte=day or timezone.localdate()).order_by("-effective_date", "-pk")


class Charter(models.Model):
    """A version of the ethics charter. The current one is the latest whose effective date has come."""

    title = models.CharField(_("title"), max_length=200)
    version = models.CharField(_("version"), max_length=20, unique=True)
    body = RichTextField(_("text"), features=["h2", "h3", "bold", "italic", "ol", "ul", "link"])
    effective_date = models.DateField(_("effective date"), default=datetime.date.today)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CharterQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("version"), FieldPanel("effective_date")]),
        FieldPanel("body"),
    ]

    class Meta:
        ordering = ["-effective_date", "-pk"]
        get_latest_by = ["effective_date", "pk"]
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")

    def __str__(self):
        return f"{self.title} ({self.version})"

    @classmethod
    def current(cls, day=None):
        return cls.objects.in_force(day).first()


class CharterSignature(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="charter_signatures"
    )
    charter = models.ForeignKey(Charter, verbose_name=_("charter"), on_delete=models.PROTECT, related_name="signatures")
    signed_at = models.DateTimeField(_("signed"), default=timezone.now)

    class Meta:
        ordering = ["-signed_at"]
        constraints = [models.UniqueConstraint(fields=["user", "charter"], name="one_signature_per_version")]
        verbose_name = _("charter signature")
        verbose_name_plural = _("charter signatures")

    def __str__(self):
        return f"{self.user} · {self.charter}"


class ProfileExpertise(TaggedItemBase):
    content_object = ParentalKey("Profile", on_delete=models.CASCADE, related_name="tagged_items")


class Visibility(models.TextChoices):
    MEMBERS = "members", _("Members of the club")
    NOBODY = "nobody", _("Nobody")


# The profile fields a member may show the club, each behind its own `show_<name>` switch (opt-in).
# The name is always shown to members: it is what membership of the club is.
DIRECTORY_FIELDS = (
    "photo",
    "job_title",
    "organisation",
    "bio",
    "expertise",
    "languages",
    "clusters",
    "groups",
    "linkedin",
    "email",
    "phone",
)


LANGUAGES = [("fr", "Français"), ("nl", "Nederlands"), ("en", "English"), ("de", "Deutsch")]


class Profile(ClusterableModel):
    """What a member shows the club about themselves, and how they want to hear from it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(_("display name"), max_length=120, blank=True)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    joined_organisation_at = models.DateTimeField(_("joined the organisation"), null=True, blank=True, editable=False)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = models.TextField(_("short bio"), blank=True, max_length=1000)
    expertise = ClusterTaggableManager(verbose_name=_("areas of expertise"), through=ProfileExpertise, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    linkedin_url = models.URLField(_("LinkedIn profile"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # What other members see is opt-in, field by field (GDPR): every field starts hidden; its owner and
    # the club's staff always see it. The rule itself is the policy's (access.visible_profile_fields).
    show_photo = models.BooleanField(_("members see my photo"), default=False)
    show_job_title = models.BooleanField(_("members see my job title"), default=False)
    show_organisation = models.BooleanField(_("members see my organisation"), default=False)
    show_bio = models.BooleanField(_("members see my bio"), default=False)
    show_expertise = models.BooleanField(_("members see my areas of expertise"), default=False)
    show_languages = models.BooleanField(_("members see the languages I speak"), default=False)
    show_clusters = models.BooleanField(_("members see my clusters of interest"), default=False)
    show_groups = models.BooleanField(_("members see my working groups"), default=False)
    show_linkedin = models.BooleanField(_("members see my LinkedIn profile"), default=False)
    show_email = models.BooleanField(_("members see my e-mail address"), default=False)
    show_phone = models.BooleanField(_("members see my phone"), default=False)
    notify_digest = models.BooleanField(_("technology-watch digest"), default=True)
    notify_group_notes = models.BooleanField(_("new notes in my groups"), default=True)
    notify_events = models.BooleanField(_("upcoming events"), default=True)
    notify_opportunities = models.BooleanField(_("new opportunities in my clusters"), default=True)

    class DiscussionMail(models.TextChoices):
        IMMEDIATE = "immediate", _("At once, one e-mail per message")
        DAILY = "daily", _("In one summary a day")
        NEVER = "never", _("Never: I read them on the site")

    # Mentions, replies in followed threads and new threads in followed spaces (discussions/).
    notify_discussions = models.CharField(
        _("discussions"), max_length=10, choices=DiscussionMail.choices, default=DiscussionMail.DAILY
    )
    # Set when the club anonymised a departed member (members.privacy_services): the row stays, so that
    # counts and history hold, with nothing left that names the person.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    # The secret in the member's personal feed addresses (groups, technology watch); resettable.
    feed_token = models.CharField(max_length=64, blank=True, default="", editable=False, db_index=True)

    panels = [
        FieldPanel("user"),
        MultiFieldPanel([FieldPanel("display_name"), FieldPanel("job_title"), FieldPanel("organisation")]),
        FieldPanel("bio"),
        FieldPanel("expertise"),
    ]

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return self.name

    @property
    def name(self):
        from .services import person_name  # the club's one way of naming a person

        return person_name(self.user)

    @property
    def shown_fields(self):
        """The directory fields this member chose to show other members."""
        return frozenset(field for field in DIRECTORY_FIELDS if getattr(self, f"show_{field}"))

    @property
    def is_anonymised(self):
        return self.anonymised_at is not None


class PageAudience(models.Model):
    """The audiences of a page, kept as columns so that the policy filters lists in SQL.

    Computed from the page's own audience (or its section's) whenever a page is saved or moved, by
    `access.refresh_page_audience`; never edited by hand.
    """

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, primary_key=True, related_name="cercle_audience"
    )
    know = models.CharField(max_length=10, choices=Audience.choices, default=Audience.PUBLIC, db_index=True)
    read = models.CharField(max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    group_id = models.IntegerField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("page audience")

    def __str__(self):
        return f"{self.page_id}: {self.know}/{self.read}"


class CollectionAudience(models.Model):
    """Who may download the documents of a collection; a collection without one is for members."""

    collection = models.OneToOneField(
        "wagtailcore.Collection", on_delete=models.CASCADE, primary_key=True, related_name="audience"
    )
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.MEMBERS)
    group_id = models.IntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("collection audience")

    def __str__(self):
        return f"{self.collection_id}: {self.audience}"


class MembershipRequest(models.Model):
    """A member asks the secretariat for the premium tier or a renewal; staff answer it in the admin."""

    class Kind(models.TextChoices):
        UPGRADE = "upgrade", _("Move to the premium tier")
        RENEWAL = "renewal", _("Renewal")

    class State(models.TextChoices):
        NEW = "new", _("New")
        HANDLED = "handled", _("Handled")
        DECLINED = "declined", _("Declined")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="membership_requests",
    )
    kind = models.CharField(_("request"), max_length=10, choices=Kind.choices)
    # What the member had when asking, so staff read the request as it was made.
    tier = models.CharField(_("tier when asked"), max_length=10, choices=Tier.choices, blank=True)
    message = models.TextField(_("message"), blank=True, max_length=1000)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.NEW)
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    handled_at = models.DateTimeField(_("answered"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    staff_note = models.TextField(_("staff note"), blank=True, help_text=_("Seen by the club's staff only."))

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # A second click, a second tab: the open request is shown again, never duplicated.
            models.UniqueConstraint(fields=["user"], condition=Q(state="new"), name="one_open_membership_request")
        ]
        verbose_name = _("membership request")
        verbose_name_plural = _("membership requests")

    def __str__(self):
        from .services import person_name  # the club's one way of naming a person

        return f"{person_name(self.user)} · {self.get_kind_display()}"

    @property
    def is_open(self):
        return self.state == self.State.NEW
