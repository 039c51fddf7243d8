"""What the search finds in the opportunities.

An opportunity's teaser (title, summary, issuer, kind, sectors) is for every member who may know it; its
details, budget and contact are the premium part, matched only for those who read it in full. Its sectors
are the "topic" facet, beside the technology watch's topics; its clusters the "cluster" facet.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from home.search import SectionIndexer, rich_text
from search.registry import PageIndexer, register
from search.registry import cluster_facets as registry_cluster_facets

from .listing import opportunity_clusters
from .models import OpportunityIndexPage, OpportunityPage


def _sectors(page):
    """In one order whatever the database (PostgreSQL returns tags unordered): a document written by a
    signal and by a rebuild are the same. Sorted in Python to use the prefetch."""
    return sorted(page.sectors.all(), key=lambda tag: (tag.name.lower(), tag.pk))


def cluster_facets(page):
    """The opportunity's clusters, under search's rule (a cluster is named only to those who may know it)."""
    return registry_cluster_facets(page, opportunity_clusters(page))


def kind_label(page):
    """The kind in the page's own language, whatever language the indexing thread speaks (a rebuild and a
    signal write the same document)."""
    language = page.locale.language_code if page.locale_id else settings.LANGUAGE_CODE
    with translation.override(language):
        return str(page.get_kind_display())


@register
class OpportunityIndexIndexer(SectionIndexer):
    model = OpportunityIndexPage
    kind = "opportunity_index"
    label = _("Business opportunities")
    section = "opportunities"
    section_label = _("Business opportunities")


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
