"""Demo content of the technology watch and the knowledge base (shared/seeds: the club's "veille
technologique plus active" for premium members, and its training sessions, such as the one on how to
"tirer parti des marchés publics").

Runs after working_groups/demo.py (settings.CERCLE_APPS order), whose six clusters the articles are filed
under. Pages are created once and published with their dates set back, so that the stream, the weekly
digest and the review report look lived-in; an editor's later changes are kept on a second run.
"""

import datetime
import pathlib

import yaml
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, Revision

from home.demo import ensure_page, heading, paragraph
from home.models import HomePage
from working_groups.demo import minimal_pdf
from working_groups.models import WorkingGroupPage

from . import services, sources
from .models import (
    KnowledgeArticlePage,
    KnowledgeCategoryPage,
    KnowledgeIndexPage,
    RelatedKnowledgeArticle,
    TechWatchArticlePage,
    TechWatchIndexPage,
    WatchSource,
)

# The feed files shipped with the demo: served as static files, and read from disk at load time.
FEEDS_DIR = pathlib.Path(__file__).resolve().parent / "static" / "knowledge" / "demo-feeds"
# The sources' address is a path on the club's own site, which the poller resolves against BASE_URL:
# the demo's feeds follow the site to whatever address and port it is served on.
FEEDS_PATH = "/static/knowledge/demo-feeds/"


def subheading(text):
    return {"type": "heading", "value": {"text": text, "level": "h3"}}


def quote(text, attribution=""):
    return {"type": "quote", "value": {"text": text, "attribution": attribution}}


def code(language, source):
    return {"type": "code", "value": {"language": language, "code": source}}


def table(rows, caption=""):
    """A table whose first row holds the column headings."""
    return {
        "type": "table",
        "value": {
            "data": rows,
            "first_row_is_table_header": True,
            "first_col_is_header": False,
            "table_header_choice": "row",
            "table_caption": caption,
            "cell": [],
            "mergedCells": [],
        },
    }


# ---------------------------------------------------------------------------------------------
# Content: the prose lives in demo_data/*.yaml, easy for anyone to edit; this module only loads it.
# ---------------------------------------------------------------------------------------------

DATA_DIR = pathlib.Path(__file__).resolve().parent / "demo_data"

# How each compact block of the data files becomes a StreamField value.
BLOCKS = {
    "paragraph": paragraph,
    "heading": heading,
    "subheading": subheading,
    "quote": lambda value: quote(value["text"], value.get("attribution", "")),
    "code": lambda value: code(value["language"], value["source"]),
    "table": lambda value: table(value["rows"], value.get("caption", "")),
}


def read_data(name):
    with open(DATA_DIR / name, encoding="utf-8") as data:
        return yaml.safe_load(data)


def stream(blocks):
    """[{"heading": "…"}, {"paragraph": "<p>…</p>"}] → StreamField values."""
    return [BLOCKS[kind](value) for block in blocks for kind, value in block.items()]


# ---------------------------------------------------------------------------------------------
# Loader
# ---------------------------------------------------------------------------------------------


def load(context):
    home = HomePage.objects.first()
    if home is None:
        context.kept("pas de page d'accueil : veille et base de connaissances non créées")
        return
    clusters = {group.slug: group for group in WorkingGroupPage.objects.filter(kind=WorkingGroupPage.Kind.CLUSTER)}
    watch = read_data("watch.yaml")
    _load_watch(context, home, clusters, watch)
    _load_sources(context, watch["sources"])
    _load_knowledge(context, home, clusters, read_data("knowledge_base.yaml"))


def ensure_section(context, home, model, slug, **fields):
    """The section's index page (one per site): kept as it is if an editor moved or renamed it."""
    existing = model.objects.first()
    if existing is not None:
        context.kept(f"{model._meta.verbose_name} « {existing.title} »")
        return existing
    # Creating it sets up its rights, document collection and review workflow (knowledge/signals.py).
    return ensure_page(context, home, model, slug, **fields)


def section_collection(name, index, setup):
    """The section's document collection, made by the section's setup when the index page was created."""
    return Collection.objects.filter(name=name, depth=2).first() or setup(index)


def ensure_document(context, collection, title, filename, lines):
    Document = get_document_model()
    document = Document.objects.filter(title=title, collection=collection).first()
    if document is not None:
        context.kept(f"document « {title} »")
        return document
    pdf = minimal_pdf(lines)
    document = Document.objects.create(
        title=title, collection=collection, file=ContentFile(pdf, name=filename), file_size=len(pdf)
    )
    context.created(f"document « {title} » dans la collection « {collection.name} »")
    return document


def existing_child(context, parent, slug):
    page = parent.get_children().filter(slug=slug).specific().first()
    if page is not None:
        context.kept(f"{page._meta.verbose_name} « {page.title} »")
    return page


def publish_dated(context, parent, page, *, topics, first_published_at, last_published_at=None):
    """Add and publish a new page, then date its publication back: demo articles are history."""
    page.topics.add(*topics)
    parent.add_child(instance=page)
    page.save_revision().publish()
    backdate(page, first_published_at, last_published_at)
    context.created(f"{page._meta.verbose_name} « {page.title} »")
    return page


def backdate(page, first_published_at, last_published_at=None):
    last_published_at = last_published_at or first_published_at
    type(page).objects.filter(pk=page.pk).update(
        first_published_at=first_published_at,
        last_published_at=last_published_at,
        latest_revision_created_at=last_published_at,
    )
    Revision.objects.filter(pk=page.latest_revision_id).update(created_at=last_published_at)
    page.first_published_at, page.last_published_at = first_published_at, last_published_at


def watch_dates(when, position, now):
    """(publication time, source date) of an article published `weeks` back on `weekday` (0: Monday)."""
    weeks, weekday, lag = when
    today = timezone.localdate(now)
    day = today - datetime.timedelta(days=today.weekday(), weeks=weeks) + datetime.timedelta(days=weekday)
    day = min(day, today)
    published = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8 + position % 9, position * 7 % 60)))
    if published > now:
        published = now - datetime.timedelta(minutes=10 + position)
    return published, day - datetime.timedelta(days=lag)


def _load_watch(context, home, clusters, data):
    index = ensure_section(
        context,
        home,
        TechWatchIndexPage,
        "veille",
        title="Veille technologique",
        show_in_menus=True,
        introduction=data["introduction"],
        search_description="La veille technologique du club : les publications qui comptent, résumées et commentées.",
    )
    collection = section_collection(services.WATCH_COLLECTION_NAME, index, services.setup_watch)
    now = timezone.now()
    for position, spec in enumerate(data["articles"]):
        if existing_child(context, index, spec["slug"]) is not None:
            continue
        published, source_date = watch_dates(spec["when"], position, now)
        attachments = []
        if spec.get("attachment"):
            document = ensure_document(context, collection, *spec["attachment"])
            attachments = [{"type": "document", "value": document.pk}]
        source_name, source_url = spec["source"]
        page = TechWatchArticlePage(
            slug=spec["slug"],
            title=spec["title"],
            summary=spec["summary"],
            body=stream(spec["body"]),
            commentary=spec["commentary"],
            source_name=source_name,
            source_url=source_url,
            source_date=source_date,
            clusters=[clusters[slug] for slug in spec["clusters"] if slug in clusters],
            audience=spec.get("audience", "premium"),
            featured=spec.get("featured", False),
            attachments=attachments,
        )
        publish_dated(context, index, page, topics=spec["topics"], first_published_at=published)


def _load_sources(context, specs):
    for spec in specs:
        name, feed_url = spec["name"], FEEDS_PATH + spec["file"]
        existing = (
            WatchSource.objects.filter(name=name).first() or WatchSource.objects.filter(feed_url=feed_url).first()
        )
        if existing is not None:
            context.kept(f"source de veille « {existing.name} »")
            continue
        source = WatchSource.objects.create(name=name, feed_url=feed_url, default_topics=spec["topics"])
        # The editors' inbox is filled from the files on disk, not over HTTP: no server runs during the load.
        fetched = sources.Fetched(
            status=200, url=sources.site_address(feed_url), body=(FEEDS_DIR / spec["file"]).read_bytes()
        )
        filed = sources.file_entries(source, sources.parse_feed(fetched).entries, fetched.url)
        context.created(f"source de veille « {name} » ({feed_url}), {filed} élément(s) dans la boîte de réception")


def _load_knowledge(context, home, clusters, data):
    index = ensure_section(
        context,
        home,
        KnowledgeIndexPage,
        "connaissances",
        title="Base de connaissances",
        show_in_menus=True,
        introduction=data["introduction"],
        search_description="Les guides du club : marchés publics, gouvernance IT, sécurité et conformité.",
    )
    collection = section_collection(services.KNOWLEDGE_COLLECTION_NAME, index, services.setup_knowledge_base)
    categories = {}
    for spec in data["categories"]:
        categories[spec["slug"]] = ensure_page(
            context, index, KnowledgeCategoryPage, spec["slug"], title=spec["title"], introduction=spec["introduction"]
        )

    people = get_user_model().objects.in_bulk(
        {username for spec in data["articles"] for username in spec["authors"]}, field_name="username"
    )
    now = timezone.now()
    articles, created = {}, []
    for position, spec in enumerate(data["articles"]):
        category = categories[spec["category"]]
        page = existing_child(context, category, spec["slug"])
        if page is None:
            attachments = []
            if spec.get("attachment"):
                document = ensure_document(context, collection, *spec["attachment"])
                attachments = [{"type": "document", "value": document.pk}]
            reviewed = now - datetime.timedelta(days=spec["reviewed"], hours=position)
            page = publish_dated(
                context,
                category,
                KnowledgeArticlePage(
                    slug=spec["slug"],
                    title=spec["title"],
                    summary=spec["summary"],
                    body=stream(spec["body"]),
                    last_reviewed=timezone.localdate(reviewed),
                    authors=[people[username] for username in spec["authors"] if username in people],
                    clusters=[clusters[slug] for slug in spec["clusters"] if slug in clusters],
                    audience=spec.get("audience", "members"),
                    attachments=attachments,
                ),
                topics=spec["topics"],
                # First written some months before its last review, for most guides.
                first_published_at=reviewed - datetime.timedelta(days=60 * (position % 4)),
                last_published_at=reviewed,
            )
            created.append((page, spec))
        articles[spec["slug"]] = page

    # The editors' choice of related guides, once all the guides exist.
    for page, spec in created:
        related = [articles[slug] for slug in spec["related"] if slug in articles]
        if not related:
            continue
        page = KnowledgeArticlePage.objects.get(pk=page.pk)
        dates = (page.first_published_at, page.last_published_at)
        page.related_links = [RelatedKnowledgeArticle(related=other) for other in related]
        page.save_revision().publish()
        backdate(page, *dates)
        context.created(f"{len(related)} guide(s) lié(s) à « {page.title} »")
