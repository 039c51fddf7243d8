"""What the search finds in the opportunities.

An opportunity's teaser (title, summary, issuer, kind, sectors) is for every member who may know it; its
details, budget and contact are the premium part, matched only for those who read it in full. Its sectors
are the "topic" facet, beside the technology watch's topics; its clusters the "cluster" facet.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from home.search import rich_text
from members.access import page_audience
from members.models import Audience
from search.registry import PageIndexer, register

from .listing import opportunity_clusters
from .models import OpportunityIndexPage, OpportunityPage

_WIDTH = [Audience.PUBLIC, Audience.MEMBERS, Audience.PREMIUM, Audience.GROUP, Audience.STAFF]


def _sectors(page):
    """In one order whatever the database (PostgreSQL returns tags unordered): a document written by a
    signal and by a rebuild are the same. Sorted in Python to use the prefetch."""
    return sorted(page.sectors.all(), key=lambda tag: (tag.name.lower(), tag.pk))


def cluster_facets(page):
    """The opportunity's live clusters that everyone who may know it may know too: a facet's label is shown
    beside the results, and a private cluster's name stays with its members."""
    opportunity = page_audience(page)
    facets = []
    for cluster in opportunity_clusters(page).live().select_related("cercle_audience").order_by("title"):
        audience = page_audience(cluster)
        if _WIDTH.index(audience.know) > _WIDTH.index(opportunity.know):
            continue
        if audience.know == Audience.GROUP and audience.group_id != opportunity.group_id:
            continue
        facets.append(("cluster", str(cluster.pk), cluster.title))
    return facets


def kind_label(page):
    """The kind in the page's own language, whatever language the indexing thread speaks (a rebuild and a
    signal write the same document)."""
    language = page.locale.language_code if page.locale_id else settings.LANGUAGE_CODE
    with translation.override(language):
        return str(page.get_kind_display())


@register
class OpportunityIndexIndexer(PageIndexer):
    model = OpportunityIndexPage
    kind = "opportunity_index"
    label = _("Business opportunities")
    section = "opportunities"
    section_label = _("Business opportunities")

    def teaser(self, page):
        return [page.search_description, rich_text(page.introduction)]


@register
class OpportunityIndexer(PageIndexer):
    model = OpportunityPage
    kind = "opportunity"
    label = _("Business opportunity")
    section = "opportunities"
    section_label = _("Business opportunities")

    def queryset(self):
        return super().queryset().prefetch_related("sectors")

    def teaser(self, page):
        return [
            page.search_description,
            page.summary,
            page.issuer,
            kind_label(page),
            [tag.name for tag in _sectors(page)],
        ]

    def body(self, page):
        return [rich_text(page.body), page.budget, page.contact_name]

    def facets(self, page):
        return [("topic", tag.slug, tag.name) for tag in _sectors(page)] + cluster_facets(page)

    # The date is the publication's (PageIndexer's): the search's periods ("this week", "this month") ask
    # what is new; a deadline in the future would fall outside every one of them.
