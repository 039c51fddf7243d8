"""The club's knowledge: the technology watch (curated, premium) and the knowledge base (lasting guides).

Who sees what is the access policy's business (members/access.py): pages here only declare their
audiences, and every listing, feed, e-mail and download asks the policy.
"""

import math

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.blocks import StreamBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from members.models import Audience

from .blocks import ArticleBodyBlock, table_of_contents, word_count
from .forms import WatchArticleForm

WORDS_PER_MINUTE = 200
CLUSTER_CHOICES = {"kind": "cluster"}


class ArticleAudience(models.TextChoices):
    """Who reads an article in full; the others who may know it get its teaser."""

    PREMIUM = "premium", _("Premium members (members see the teaser)")
    MEMBERS = "members", _("All members: a free sample")
    PUBLIC = "public", _("Everyone, visitors included")


def declared(audience):
    """(know, read, group) for an article's audience: a premium article's teaser is for every member."""
    if audience == ArticleAudience.PUBLIC:
        return (Audience.PUBLIC, Audience.PUBLIC, None)
    if audience == ArticleAudience.MEMBERS:
        return (Audience.MEMBERS, Audience.MEMBERS, None)
    return (Audience.MEMBERS, Audience.PREMIUM, None)


def attachments_field():
    return StreamField(
        StreamBlock([("document", DocumentChooserBlock(label=_("Document")))]),
        verbose_name=_("attachments"),
        blank=True,
    )


class ReadingTimeMixin(models.Model):
    """Counted when the page is saved, so that listings never walk the bodies."""

    reading_minutes = models.PositiveSmallIntegerField(_("reading time (minutes)"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.reading_minutes = max(1, math.ceil((word_count(self.body) + len(self.summary.split())) / WORDS_PER_MINUTE))
        super().save(*args, **kwargs)

    @property
    def table_of_contents(self):
        return table_of_contents(self.body)


class ExtraContextMixin:
    """The page's template context comes from a function of the app's (request, page) -> dict, named in
    `context_function`: listings and policy checks live beside the other views, not in the models."""

    context_function = ""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(import_string(self.context_function)(request, self))
        return context


class OpenSectionPage(ExtraContextMixin, Page):
    """A section that anyone may open: each visitor sees in it the entries the policy lets them know
    (visitors the public ones, members the teasers of the rest)."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    class Meta:
        abstract = True

    def get_declared_audience(self):
        return (Audience.PUBLIC, Audience.PUBLIC, None)


# ---------------------------------------------------------------------------------------------
# Technology watch
# ---------------------------------------------------------------------------------------------


class TechWatchIndexPage(OpenSectionPage):  # noqa: DJ008 (Page's __str__)
    """ "Veille technologique": the stream of articles. Anyone may open it; each sees what the policy allows."""

    # members/page_cache.py: kept for members too; their private feed address is put back per person.
    page_cache = True

    parent_page_types = ["home.HomePage"]
    subpage_types = ["knowledge.TechWatchArticlePage"]
    max_count = 1
    context_function = "knowledge.listing.watch_listing"

    class Meta:
        verbose_name = _("technology watch")


class TechWatchArticleTag(TaggedItemBase):
    content_object = ParentalKey("TechWatchArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class TechWatchArticlePage(ExtraContextMixin, ReadingTimeMixin, Page):  # noqa: DJ008 (Page's __str__)
    """One item of the watch: a source read and commented by the club's editors."""

    # members/page_cache.py: the same for every viewer of a kind, so kept for members too.
    page_cache = True

    summary = models.TextField(
        _("summary"), max_length=600, help_text=_("The teaser: every member reads it, premium or not.")
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)
    commentary = RichTextField(
        _("our view"), blank=True, features=["bold", "italic", "link", "ol", "ul"], help_text=_("The editors' take.")
    )
    source_name = models.CharField(_("source"), max_length=200, blank=True)
    source_url = models.URLField(_("address of the source"), max_length=500, blank=True)
    source_date = models.DateField(_("original publication date"), default=timezone.localdate)
    topics = ClusterTaggableManager(verbose_name=_("topics"), through=TechWatchArticleTag, blank=True)
    clusters = ParentalManyToManyField(
        "working_groups.WorkingGroupPage",
        verbose_name=_("clusters"),
        blank=True,
        limit_choices_to=CLUSTER_CHOICES,
        related_name="+",
    )
    featured = models.BooleanField(_("featured"), default=False, help_text=_("Shown on top of the watch."))
    audience = models.CharField(
        _("who reads it in full"), max_length=10, choices=ArticleAudience.choices, default=ArticleAudience.PREMIUM
    )
    attachments = attachments_field()

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("commentary"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("source_name"), FieldPanel("source_date")]), FieldPanel("source_url")],
            heading=_("Source"),
        ),
        FieldPanel("topics"),
        FieldPanel("clusters"),
        FieldPanel("attachments"),
    ]
    settings_panels = Page.settings_panels + [
        MultiFieldPanel([FieldPanel("audience"), FieldPanel("featured")], heading=_("Audience"))
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("commentary"),
        index.SearchField("source_name"),
        index.FilterField("source_date"),
        index.FilterField("featured"),
    ]
    parent_page_types = ["knowledge.TechWatchIndexPage"]
    subpage_types = []
    context_function = "knowledge.listing.article_context"
    base_form_class = WatchArticleForm

    class Meta:
        verbose_name = _("technology watch article")
        verbose_name_plural = _("technology watch articles")
        # The watch lists newest first by the source's date, its featured items on top; topics and clusters
        # filter through their own tables (indexed on both sides by taggit and the many-to-many).
        indexes = [
            models.Index(fields=["-source_date"], name="watch_source_date"),
            models.Index(fields=["featured", "-source_date"], name="watch_featured_date"),
        ]

    def get_declared_audience(self):
        return declared(self.audience)


class WatchSource(models.Model):
    """A feed (RSS or Atom) that editors follow: vendors, analysts, news sites."""

    class Status(models.TextChoices):
        NEW = "new", _("Not polled yet")
        OK = "ok", _("Working")
        FAILING = "failing", _("Failing")

    name = models.CharField(_("name"), max_length=200)
    # A CharField, not a URLField: a path on the club's own site ("/static/…") is a valid source too.
    feed_url = models.CharField(
        _("feed address"),
        max_length=500,
        unique=True,
        help_text=_("A web address (https://…), or a path on this site (/static/…)."),
    )
    default_topics = models.CharField(
        _("default topics"), max_length=300, blank=True, help_text=_("Comma-separated; given to drafts from this feed.")
    )
    active = models.BooleanField(_("active"), default=True)
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True, editable=False)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0, editable=False)

    panels = [FieldPanel("name"), FieldPanel("feed_url"), FieldPanel("default_topics"), FieldPanel("active")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("watch source")
        verbose_name_plural = _("watch sources")

    def __str__(self):
        return self.name

    @property
    def topic_list(self):
        return [topic.strip() for topic in self.default_topics.split(",") if topic.strip()]


class InboxItem(models.Model):
    """An item found in a source, waiting for an editor to make it an article or dismiss it."""

    class State(models.TextChoices):
        NEW = "new", _("To review")
        DRAFTED = "drafted", _("Made into a draft")
        DISMISSED = "dismissed", _("Dismissed")

    source = models.ForeignKey(WatchSource, verbose_name=_("source"), on_delete=models.CASCADE, related_name="items")
    url = models.URLField(_("address"), max_length=500, unique=True)
    title = models.CharField(_("title"), max_length=300)
    excerpt = models.TextField(_("excerpt"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    found_at = models.DateTimeField(_("found"), default=timezone.now)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.NEW)
    article = models.ForeignKey(
        TechWatchArticlePage, verbose_name=_("article"), null=True, blank=True, on_delete=models.SET_NULL
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-found_at", "-pk"]
        verbose_name = _("inbox item")
        verbose_name_plural = _("inbox")

    def __str__(self):
        return self.title


class DigestIssue(models.Model):
    """One week's digest; its receipts make sure nobody gets the same week twice."""

    week_start = models.DateField(_("week starting"), unique=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    article_count = models.PositiveIntegerField(_("articles"), default=0)

    class Meta:
        ordering = ["-week_start"]
        verbose_name = _("digest")
        verbose_name_plural = _("digests")

    def __str__(self):
        return str(self.week_start)


class DigestReceipt(models.Model):
    issue = models.ForeignKey(DigestIssue, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    tier = models.CharField(max_length=10, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issue", "user"], name="one_digest_per_person_and_week")]

    def __str__(self):
        return f"{self.issue} · {self.user}"


class ErrorReport(models.Model):
    """ "Signaler une erreur": a member tells the editors about a mistake or sends more information."""

    class Kind(models.TextChoices):
        ERROR = "error", _("A mistake")
        INFORMATION = "information", _("More information")

    page = models.ForeignKey(Page, verbose_name=_("page"), on_delete=models.CASCADE, related_name="+")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sender"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.ERROR)
    message = models.TextField(_("message"), max_length=3000)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    handled = models.BooleanField(_("handled"), default=False)

    panels = [FieldPanel("handled")]

    class Meta:
        ordering = ["handled", "-created_at"]
        verbose_name = _("error report")
        verbose_name_plural = _("error reports")

    def __str__(self):
        return f"{self.page} · {self.get_kind_display()}"


# ---------------------------------------------------------------------------------------------
# Knowledge base
# ---------------------------------------------------------------------------------------------


class KnowledgeIndexPage(OpenSectionPage):  # noqa: DJ008 (Page's __str__)
    """ "Base de connaissances": its categories; each guide is for members unless opened to everyone."""

    # members/page_cache.py: the same for every viewer of a kind, so kept for members too.
    page_cache = True

    parent_page_types = ["home.HomePage"]
    subpage_types = ["knowledge.KnowledgeCategoryPage"]
    max_count = 1
    context_function = "knowledge.kb.knowledge_index"

    class Meta:
        verbose_name = _("knowledge base")


class KnowledgeCategoryPage(OpenSectionPage):  # noqa: DJ008 (Page's __str__)
    """A theme of the knowledge base and its guides."""

    # members/page_cache.py: the same for every viewer of a kind, so kept for members too.
    page_cache = True

    parent_page_types = ["knowledge.KnowledgeIndexPage"]
    subpage_types = ["knowledge.KnowledgeArticlePage"]
    context_function = "knowledge.kb.knowledge_category"

    class Meta:
        verbose_name = _("knowledge category")
        verbose_name_plural = _("knowledge categories")


class KnowledgeArticleTag(TaggedItemBase):
    content_object = ParentalKey("KnowledgeArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class KnowledgeArticlePage(ExtraContextMixin, ReadingTimeMixin, Page):  # noqa: DJ008 (Page's __str__)
    """A lasting guide of the club: training material, a method, a checklist."""

    # members/page_cache.py: the same for every viewer of a kind, so kept for members too.
    page_cache = True

    class Visibility(models.TextChoices):
        MEMBERS = "members", _("Members")
        PUBLIC = "public", _("Everyone, visitors included")

    summary = models.TextField(_("summary"), max_length=600)
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)
    topics = ClusterTaggableManager(verbose_name=_("topics"), through=KnowledgeArticleTag, blank=True)
    clusters = ParentalManyToManyField(
        "working_groups.WorkingGroupPage",
        verbose_name=_("clusters"),
        blank=True,
        limit_choices_to=CLUSTER_CHOICES,
        related_name="+",
    )
    authors = ParentalManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("authors"), blank=True, related_name="+")
    last_reviewed = models.DateField(_("last reviewed"), default=timezone.localdate)
    audience = models.CharField(
        _("who reads it"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    attachments = attachments_field()

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldRowPanel([FieldPanel("last_reviewed")]),
        FieldPanel("authors"),
        FieldPanel("topics"),
        FieldPanel("clusters"),
        InlinePanel("related_links", label=_("Related articles")),
        FieldPanel("attachments"),
    ]
    settings_panels = Page.settings_panels + [FieldPanel("audience")]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["knowledge.KnowledgeCategoryPage"]
    subpage_types = []
    context_function = "knowledge.kb.knowledge_article"

    class Meta:
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")

    def get_declared_audience(self):
        return declared(self.audience)


class RelatedKnowledgeArticle(Orderable):
    """An article an editor chose to show next to another (automatic ones come from shared topics)."""

    page = ParentalKey(KnowledgeArticlePage, on_delete=models.CASCADE, related_name="related_links")
    related = models.ForeignKey(
        KnowledgeArticlePage, verbose_name=_("article"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("related")]
