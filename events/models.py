"""The club's events: conferences, trainings, information sessions, B2B meetings, trade missions, fairs.

Who may know an event and who may register is the access policy's business (members/access.py): an
event only declares its audience. Registrations, the waiting list and the e-mails they send are
services (events/services.py), each in one transaction.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from members.models import Audience

from .blocks import ProgrammeBlock

# The club's own zone (settings.TIME_ZONE): an event elsewhere says so beside its times.
DEFAULT_TIME_ZONE = settings.TIME_ZONE


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone. Use a name such as Europe/Brussels or Asia/Tokyo."),
            code="invalid_time_zone",
            params={"value": value},
        )


class EventIndexPage(Page):
    """ "Agenda": the club's events, upcoming and past, each shown to whoever may know it."""

    # members/page_cache.py: kept for visitors only (members see their registrations and calendar here).
    page_cache = "visitors"

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count = 1

    class Meta:
        verbose_name = _("agenda")

    def get_declared_audience(self):
        # The agenda is open: visitors see the public events in it, members the rest (filtered by the policy).
        return (Audience.PUBLIC, Audience.PUBLIC, None)

    def get_context(self, request, *args, **kwargs):
        from .listing import agenda_context  # the listing imports this module

        context = super().get_context(request, *args, **kwargs)
        context.update(agenda_context(request, self))
        return context


class EventPage(Page):
    """One event: when and where, its programme and speakers, who may come, and its registrations."""

    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("Conference")
        TRAINING = "training", _("Training")
        INFO_SESSION = "info_session", _("Information session")
        NETWORKING = "networking", _("Networking meeting")
        B2B = "b2b", _("B2B meeting")
        TRADE_MISSION = "trade_mission", _("Trade mission")
        FAIR = "fair", _("Fair")

    class EventAudience(models.TextChoices):
        PUBLIC = "public", _("Everyone (members register)")
        MEMBERS = "members", _("Members")
        PREMIUM = "premium", _("Premium members (members see the teaser)")
        GROUP = "group", _("Members of a working group")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CONFERENCE)
    summary = models.TextField(_("summary"), max_length=600, help_text=_("The teaser shown in the agenda."))
    # The editor types the times as they are on the spot, in the event's own time zone; `starts_at` and
    # `ends_at` are the same moments in UTC, computed on save, for sorting, filtering and calendars.
    start_date = models.DateField(_("start date"))
    start_time = models.TimeField(_("start time"), default=datetime.time(9, 0))
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("Empty: the same day."))
    end_time = models.TimeField(_("end time"), default=datetime.time(17, 0))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=DEFAULT_TIME_ZONE,
        validators=[validate_time_zone],
        help_text=_("Where the event takes place, such as Europe/Brussels or Asia/Tokyo."),
    )
    starts_at = models.DateTimeField(editable=False, db_index=True, null=True)
    ends_at = models.DateTimeField(editable=False, null=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    map_url = models.URLField(_("map link"), max_length=500, blank=True)
    online_url = models.URLField(
        _("online link"), max_length=500, blank=True, help_text=_("Shown to registered participants only.")
    )
    body = RichTextField(_("description"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ul", "ol"])
    programme = StreamField(ProgrammeBlock(), verbose_name=_("programme"), blank=True)
    audience = models.CharField(
        _("who may come"), max_length=10, choices=EventAudience.choices, default=EventAudience.MEMBERS
    )
    group = models.ForeignKey(
        "working_groups.WorkingGroupPage",
        verbose_name=_("working group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("For an event of one working group only."),
    )
    clusters = ParentalManyToManyField(
        "working_groups.WorkingGroupPage",
        verbose_name=_("clusters"),
        blank=True,
        limit_choices_to={"kind": "cluster"},
        related_name="+",
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit. Beyond it, a waiting list.")
    )
    registration_open = models.BooleanField(_("registration open"), default=True)
    registration_deadline = models.DateTimeField(
        _("registration deadline"), null=True, blank=True, help_text=_("Empty: until the event starts.")
    )
    price_basic = models.DecimalField(
        _("price, basic tier (EUR)"), max_digits=8, decimal_places=2, null=True, blank=True, help_text=_("Empty: free.")
    )
    price_premium = models.DecimalField(
        _("price, premium tier (EUR)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: free."),
    )
    partner = models.CharField(
        _("partner"), max_length=200, blank=True, help_text=_("Such as AWEX for a trade mission.")
    )
    contact_email = models.EmailField(
        _("organiser's e-mail"), blank=True, help_text=_("Who answers participants' questions.")
    )

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("start_time")]),
                FieldRowPanel([FieldPanel("end_date"), FieldPanel("end_time")]),
                FieldPanel("time_zone"),
            ],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [FieldPanel("venue"), FieldPanel("address"), FieldPanel("map_url"), FieldPanel("online_url")],
            heading=_("Where"),
        ),
        FieldPanel("body"),
        InlinePanel("speakers", label=_("Speakers")),
        FieldPanel("programme"),
        FieldPanel("clusters"),
        FieldRowPanel([FieldPanel("partner"), FieldPanel("contact_email")]),
    ]
    settings_panels = Page.settings_panels + [
        MultiFieldPanel([FieldPanel("audience"), FieldPanel("group")], heading=_("Audience")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("registration_open")]),
                FieldPanel("registration_deadline"),
                FieldRowPanel([FieldPanel("price_basic"), FieldPanel("price_premium")]),
            ],
            heading=_("Registration"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("starts_at"),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    # --- time ------------------------------------------------------------------------------------

    @property
    def zone(self):
        try:
            return zoneinfo.ZoneInfo(self.time_zone or DEFAULT_TIME_ZONE)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(DEFAULT_TIME_ZONE)

    @property
    def elsewhere(self):
        """Whether the event keeps another time zone than the club's: its times are then named as local."""
        return self.time_zone != DEFAULT_TIME_ZONE

    def local_start(self):
        """The start as an aware moment in the event's own time zone (daylight saving included)."""
        return datetime.datetime.combine(self.start_date, self.start_time, tzinfo=self.zone)

    def local_end(self):
        return datetime.datetime.combine(self.end_date or self.start_date, self.end_time, tzinfo=self.zone)

    def clean(self):
        super().clean()
        if self.start_date and self.start_time and self.end_time:
            if (self.end_date or self.start_date) < self.start_date:
                raise ValidationError({"end_date": _("The event cannot end before it starts.")})
            if self.local_end() <= self.local_start():
                raise ValidationError({"end_time": _("The event must end after it starts.")})
        if self.audience == self.EventAudience.GROUP and self.group_id is None:
            raise ValidationError({"group": _("Choose the working group this event is for.")})
        if self.registration_deadline and self.start_date and self.registration_deadline > self.local_end():
            raise ValidationError({"registration_deadline": _("Registration must close before the event ends.")})

    def save(self, *args, **kwargs):
        if self.start_date and self.start_time is not None and self.end_time is not None:
            self.starts_at = self.local_start().astimezone(datetime.UTC)
            self.ends_at = self.local_end().astimezone(datetime.UTC)
        return super().save(*args, **kwargs)

    # --- audience and state ----------------------------------------------------------------------

    def get_declared_audience(self):
        """(know, read, group) for the policy: premium events show their teaser to every member."""
        if self.audience == self.EventAudience.PUBLIC:
            return (Audience.PUBLIC, Audience.PUBLIC, None)
        if self.audience == self.EventAudience.PREMIUM:
            return (Audience.MEMBERS, Audience.PREMIUM, None)
        if self.audience == self.EventAudience.GROUP and self.group_id:
            return (Audience.GROUP, Audience.GROUP, self.group_id)
        return (Audience.MEMBERS, Audience.MEMBERS, None)

    @property
    def is_past(self):
        return self.ends_at is not None and self.ends_at <= timezone.now()

    def registration_closes_at(self):
        return self.registration_deadline or self.starts_at

    def registration_is_open(self, now=None):
        now = now or timezone.now()
        closes = self.registration_closes_at()
        return self.registration_open and (closes is None or now < closes)

    def get_context(self, request, *args, **kwargs):
        # The registration box and what the policy lets the viewer see live beside the registration views.
        from .registration_context import event_context

        context = super().get_context(request, *args, **kwargs)
        context.update(event_context(request, self))
        return context


class EventSpeaker(Orderable):
    """A speaker of an event; a member of the club may be linked to their profile."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role and organisation"), max_length=200, blank=True)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member of the club"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("role")]), FieldPanel("member")]

    class Meta(Orderable.Meta):
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self):
        return self.name


class Registration(models.Model):
    """A member's place at an event: confirmed, waiting for a seat, or cancelled.

    One row per person and event: registering again after cancelling reuses it (and joins the end of
    the queue). Only services.py writes these, under a lock on the event, so that capacity holds.
    """

    class State(models.TextChoices):
        CONFIRMED = "confirmed", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(
        EventPage, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE, related_name="event_registrations"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.CONFIRMED)
    # Also the position in the waiting list: the earliest waiting registration is promoted first.
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["registered_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_event")]
        indexes = [models.Index(fields=["event", "state", "registered_at"], name="registration_queue")]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self):
        return f"{self.user} · {self.event} · {self.get_state_display()}"


ACTIVE_STATES = Q(state__in=[Registration.State.CONFIRMED, Registration.State.WAITING])
