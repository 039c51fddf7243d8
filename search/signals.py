"""Search documents follow every change of what they describe (search.index).

Pages, whatever their type (this app imports no content app: the registry knows the indexers):

- publishing writes the document from the live page; saving a draft changes nothing, the document keeps
  the published text (it is always built from the database row, which a draft leaves alone);
- unpublishing removes it, deleting removes it (and those of the whole subtree deleted with it);
- a move rewrites the page's and its descendants' documents (addresses, paths, audiences), and so does
  a site's new root page or hostname;
- an audience change (the page's own, its section's, a group's visibility, Wagtail's privacy settings)
  reaches the documents through the `PageAudience` rows the policy saves, one per page it recomputes:
  each such row copies its audiences onto the page's document in one UPDATE, without rebuilding it.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from members.models import PageAudience

from . import index, registry
from .models import SearchDocument, SearchFacet


def page_key(page_id):
    return f"page:{page_id}"


def _indexed(page):
    """Whether some indexer builds documents for this page's type."""
    return registry.indexer_for(page.specific_class or Page) is not None


def reindex_page(page_id):
    """Build the document of a page anew from its live row in the database."""
    page = Page.objects.filter(pk=page_id).select_related("locale").first()
    if page is None:
        index.remove_keys([page_key(page_id)])
        return None
    page = page.specific
    index.update(page)
    return page


@receiver(page_published)
def page_published_(sender, instance, **kwargs):
    key = page_key(instance.pk)
    before = SearchDocument.objects.filter(key=key).values_list("url", "title").first()
    page = reindex_page(instance.pk)
    if page is None:
        return
    after = SearchDocument.objects.filter(key=key).values_list("url", "title").first()
    if before and after and before[0] != after[0] and page.numchild:
        # A new slug moved every page below to a new address.
        index.update_pages(page.get_descendants().values_list("pk", flat=True))
    if before and after and before[1] != after[1]:
        _relabel(page)


def _relabel(page):
    """Facets that name this page (an article's cluster, a note's group) take its new title."""
    label = page.title[:200]
    naming = SearchFacet.objects.filter(facet__in=["cluster", "group"], value=str(page.pk)).exclude(label=label)
    keys = list(naming.values_list("document__key", flat=True).distinct())
    if keys:
        naming.update(label=label)
        index.tell_engine(keys, [])


def _reindex_cluster_mentions(page_id):
    """Articles that name this cluster in a facet are rebuilt: the facet is kept only where everyone who
    may know the article may know the cluster, which its new audience may have changed."""
    keys = SearchFacet.objects.filter(facet="cluster", value=str(page_id)).values_list("document__key", flat=True)
    ids = {int(key.split(":", 1)[1]) for key in keys if key.startswith("page:")}
    if ids:
        index.update_pages(ids)


@receiver(page_unpublished)
def page_unpublished_(sender, instance, **kwargs):
    # Only this page: Wagtail fires the signal again for each descendant it unpublishes with it.
    index.remove_keys([page_key(instance.pk)])
    _reindex_cluster_mentions(instance.pk)  # an article names only live clusters


@receiver(post_delete, sender=Page)
def page_deleted(sender, instance, **kwargs):
    # Fired for each page of a deleted subtree: Django deletes the descendants one by one with it.
    index.remove_keys([page_key(instance.pk)])
    naming = SearchFacet.objects.filter(facet__in=["cluster", "group"], value=str(instance.pk))
    keys = list(naming.values_list("document__key", flat=True).distinct())
    if keys:
        naming.delete()
        index.tell_engine(keys, [])


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    # The policy has already recomputed the audiences (members.signals runs first); the addresses changed.
    page = Page.objects.get(pk=instance.pk)
    index.update_pages([page.pk, *page.get_descendants().values_list("pk", flat=True)])


@receiver(post_save, sender=Site)
def site_saved(sender, instance, raw=False, **kwargs):
    # A new root page (or hostname, port) gives every page under it a new address, or its first one.
    if raw or instance.root_page_id is None:
        return
    root = Page.objects.filter(pk=instance.root_page_id).first()
    if root is not None:
        Site.clear_site_root_paths_cache()  # Wagtail's own handler, which does it too, runs after this one
        index.update_pages([root.pk, *root.get_descendants().values_list("pk", flat=True)])


@receiver(post_save, sender=PageAudience)
def audience_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    key = page_key(instance.page_id)
    if not created:
        copied = SearchDocument.objects.filter(key=key).update(
            know=instance.know, read=instance.read, group_id=instance.group_id
        )
        _reindex_cluster_mentions(instance.page_id)
        if copied:
            index.tell_engine([key], [])
            return
    # A page's first audience (a page just created) or a page without a document yet: build it if it is
    # live (a page created live by a script or an import is never "published").
    page = Page.objects.filter(pk=instance.page_id, live=True).first()
    if page is not None and _indexed(page):
        reindex_page(page.pk)
