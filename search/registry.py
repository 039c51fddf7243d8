"""What the club can find, and who builds each search document.

Each app registers, in its own `search.py`, an indexer per model it owns. `search` imports no content
app: it learns from this registry which models it indexes, which kinds and sections exist (with the
labels the facets show), and how to build a document for an object.

    from search.registry import PageIndexer, register

    @register
    class WatchArticleIndexer(PageIndexer):
        model = TechWatchArticlePage
        kind = "watch_article"
        label = _("Technology-watch article")
        section = "watch"

        def teaser(self, page): return [page.summary, page.source_name, ...]
        def body(self, page): return [page.body text, ...]
        def facets(self, page): return [("topic", slug, name), ("cluster", str(id), title)]
"""

import dataclasses
import datetime

from django.utils.translation import gettext_lazy as _

from members.models import Audience

_indexers = {}  # kind -> indexer instance
_by_model = {}  # model class -> indexer instance
_sections = {}  # code -> label


@dataclasses.dataclass
class DocumentData:
    """What an indexer builds: one future `SearchDocument` row and its facet values."""

    key: str
    kind: str
    object_id: int
    url: str
    title: str
    section: str
    know: str = Audience.PUBLIC
    read: str = Audience.PUBLIC
    group_id: int | None = None
    teaser: str = ""
    body: str = ""
    language: str = ""
    translation_key: str = ""
    page_path: str = ""
    collection_path: str = ""
    date: datetime.datetime | None = None
    facets: list = dataclasses.field(default_factory=list)  # [(facet, value, label)]


def register_section(code, label):
    _sections[code] = label


def section_label(code):
    return _sections.get(code, code)


def sections():
    return dict(_sections)


def register(indexer_class):
    """Class decorator: one instance of the indexer serves its model (and its kind) from now on."""
    indexer = indexer_class()
    _indexers[indexer.kind] = indexer
    _by_model[indexer.model] = indexer
    if indexer.section not in _sections and getattr(indexer, "section_label", None):
        register_section(indexer.section, indexer.section_label)
    return indexer_class


def indexers():
    return list(_indexers.values())


def indexer_for_kind(kind):
    return _indexers.get(kind)


def indexer_for(obj_or_model):
    """The indexer of this object's (or model's) most specific registered class, or None."""
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    for klass in model.__mro__:
        if klass in _by_model:
            return _by_model[klass]
    return None


def kind_label(kind):
    indexer = _indexers.get(kind)
    return indexer.label if indexer else kind


def join_text(parts):
    """Text parts (strings, None, lists) as one plain string, for a teaser or body column."""
    out = []
    for part in parts:
        if not part:
            continue
        if isinstance(part, list | tuple | set):
            out.append(join_text(part))
        else:
            out.append(str(part).strip())
    return "\n".join(p for p in out if p)


class Indexer:
    """Builds the search document of one model's objects. Subclasses set model, kind, label, section."""

    model = None
    kind = ""
    label = ""
    section = ""
    section_label = None

    def key(self, obj):
        return f"{self.kind}:{obj.pk}"

    def queryset(self):
        """Every object that may have a document, for a rebuild."""
        return self.model._default_manager.all()

    def build(self, obj):
        """A `DocumentData`, or None when the object should not be found (a draft, a former member)."""
        raise NotImplementedError


class PageIndexer(Indexer):
    """Pages of one type: live pages only, audiences from `PageAudience`, keyed "page:<id>".

    Subclasses give the texts (`teaser`, `body`, lists of strings) and the facet values.
    """

    def key(self, obj):
        return f"page:{obj.pk}"

    def queryset(self):
        return self.model.objects.live().select_related("cercle_audience", "locale")

    def teaser(self, page):
        return [getattr(page, "search_description", "")]

    def body(self, page):
        return []

    def facets(self, page):
        return []

    def date(self, page):
        return page.first_published_at or page.latest_revision_created_at

    def build(self, page):
        from members.access import page_audience

        if not page.live or page.depth is None or page.depth < 2:
            return None
        audience = page_audience(page)
        url = page.get_url()
        if not url:
            return None
        return DocumentData(
            key=self.key(page),
            kind=self.kind,
            object_id=page.pk,
            url=url,
            title=page.title,
            section=self.section,
            know=audience.know,
            read=audience.read,
            group_id=audience.group_id,
            teaser=join_text(self.teaser(page)),
            body=join_text(self.body(page)),
            language=page.locale.language_code if page.locale_id else "",
            translation_key=str(page.translation_key),
            page_path=page.path,
            date=self.date(page),
            facets=list(self.facets(page)),
        )


register_section("people", _("Members"))
register_section("documents", _("Documents"))


# The audiences from widest to narrowest: a facet may name a cluster only to those who may know it.
_WIDTH = [Audience.PUBLIC, Audience.MEMBERS, Audience.PREMIUM, Audience.GROUP, Audience.STAFF]


def cluster_facets(page, clusters):
    """The "cluster" facets of `page`: those of `clusters` (a queryset of cluster pages) that are live and
    that everyone who may know the page may know too.

    A facet's label is shown beside the results: a cluster known to members only must not be named to a
    visitor through a public page, nor a private group's cluster to outsiders (pages hide them the same way).
    """
    from members.access import page_audience

    known = page_audience(page)
    facets = []
    for cluster in clusters.live().select_related("cercle_audience").order_by("title"):
        audience = page_audience(cluster)
        if _WIDTH.index(audience.know) > _WIDTH.index(known.know):
            continue
        if audience.know == Audience.GROUP and audience.group_id != known.group_id:
            continue
        facets.append(("cluster", str(cluster.pk), cluster.title))
    return facets
