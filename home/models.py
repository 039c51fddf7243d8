from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Site
from wagtail.search import index

from members.access import Viewer, may_invite
from members.pages import AudienceMixin
from members.services import renewal_due

from .blocks import StoryBlock
from .dashboard import panels_for
from .i18n import default_locale_id


class HomePage(Page):
    """The club's front door: a public landing for visitors (members get their dashboard later)."""

    # members/page_cache.py: the landing is kept for visitors; members get their own dashboard.
    page_cache = "visitors"

    hero_title = models.CharField(_("hero title"), max_length=200)
    hero_text = models.TextField(_("hero text"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    mission = RichTextField(_("club mission"), blank=True, features=["bold", "italic", "link", "ul", "ol"])
    body = StreamField(StoryBlock(), verbose_name=_("body"), blank=True, use_json_field=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("hero_image")],
            heading=_("Hero"),
        ),
        FieldPanel("mission"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("hero_text"),
        index.SearchField("mission"),
        index.SearchField("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    # Every section a fresh install needs is created here, in the admin (not only by the demo).
    subpage_types = [
        "home.StandardPage",
        "working_groups.WorkingGroupIndexPage",
        "knowledge.TechWatchIndexPage",
        "knowledge.KnowledgeIndexPage",
        "events.EventIndexPage",
        "opportunities.OpportunityIndexPage",
    ]
    max_count = 1

    def get_declared_audience(self):
        return ("public", "public", None)  # the club's front door is always open

    def route(self, request, path_components):
        """Serve a translation's own tree, and the French page where the translation has none.

        `/en/` is routed from the English home; a members' page nobody translated stays reachable under
        `/en/...` in the English interface, its content marked French, rather than answering 404. The
        access policy decides on the page found either way.
        """
        try:
            return super().route(request, path_components)
        except Http404:
            original = self._original_home(request) if path_components else None
            if original is None:
                raise
            return original.route(request, path_components)

    def _original_home(self, request):
        """This home page in the club's default language, if this is one of its translations."""
        default = default_locale_id()
        if default is None or self.locale_id == default:
            return None
        # Usually the site's root, which Wagtail loaded to route the request here: no second query for it.
        site = Site.find_for_request(request)
        root = site.root_page if site is not None else None
        if root is not None and root.live and (root.locale_id, root.translation_key) == (default, self.translation_key):
            return root
        return HomePage.objects.live().filter(translation_key=self.translation_key, locale_id=default).first()

    def get_template(self, request, *args, **kwargs):
        if self._dashboard_viewer(request) is not None:
            return "home/dashboard.html"
        return super().get_template(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        viewer = self._dashboard_viewer(request)
        if viewer is not None:
            context["panels"] = panels_for(request, viewer)
            context["renewal_due"] = renewal_due(viewer)
            context["may_invite"] = may_invite(viewer)
        return context

    @staticmethod
    def _dashboard_viewer(request):
        """Members, lapsed members and staff get their dashboard instead of the public landing.

        An editor previewing the home page sees the landing being edited, not their own dashboard."""
        if getattr(request, "is_preview", False):
            return None
        viewer = Viewer.for_request(request)
        if viewer.is_authenticated and (viewer.has_valid_membership or viewer.is_expired or viewer.is_staff):
            return viewer
        return None

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")


class StandardPage(AudienceMixin, Page):
    """A plain page of the club: "Le club", "Gouvernance", "Contact"; editors may keep one for members."""

    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(StoryBlock(), verbose_name=_("body"), blank=True, use_json_field=True)

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    settings_panels = Page.settings_panels + [FieldPanel("audience")]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


@register_setting(icon="site")
class ClubSettings(BaseSiteSetting):
    """What the footer says about the club; editors change it in Settings → Club."""

    club_name = models.CharField(_("club name"), max_length=120, default="Cercle")
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    address = models.TextField(_("address"), blank=True)
    facebook_url = models.URLField(_("Facebook page"), blank=True)
    x_url = models.URLField(_("X account"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn page"), blank=True)
    club_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("“The club” page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("contact page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("club_name"),
                FieldPanel("tagline"),
                FieldPanel("contact_email"),
                FieldPanel("address"),
            ],
            heading=_("The club"),
        ),
        MultiFieldPanel(
            [FieldPanel("club_page"), FieldPanel("contact_page")],
            heading=_("Footer links"),
        ),
        MultiFieldPanel(
            [FieldPanel("facebook_url"), FieldPanel("x_url"), FieldPanel("linkedin_url")],
            heading=_("Social networks"),
        ),
    ]

    class Meta:
        verbose_name = _("club")

    @property
    def social_links(self):
        links = [("Facebook", self.facebook_url), ("X", self.x_url), ("LinkedIn", self.linkedin_url)]
        return [(name, url) for name, url in links if url]
