import datetime

import factory
import wagtail_factories
from django.utils import timezone

from knowledge.models import (
    KnowledgeArticlePage,
    KnowledgeCategoryPage,
    KnowledgeIndexPage,
    TechWatchArticlePage,
    TechWatchIndexPage,
    WatchSource,
)

# Tests assert that this string is absent wherever a viewer may not read an article in full.
BODY_MARKER = "CORPS-RESERVE-PREMIUM"
COMMENTARY_MARKER = "AVIS-RESERVE-PREMIUM"
SUMMARY_MARKER = "RESUME-POUR-TOUS"


class TechWatchIndexPageFactory(wagtail_factories.PageFactory):
    title = "Veille technologique"
    slug = "veille"

    class Meta:
        model = TechWatchIndexPage


class TechWatchArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Article de veille {n}")
    summary = f"Ce que tout membre peut lire. {SUMMARY_MARKER}"
    body = factory.LazyFunction(
        lambda: [{"type": "paragraph", "value": f"<p>Analyse détaillée réservée. {BODY_MARKER}</p>"}]
    )
    commentary = f"<p>Notre avis. {COMMENTARY_MARKER}</p>"
    source_name = "Gartner"
    source_url = "https://example.org/source"
    source_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=2))
    audience = "premium"

    class Meta:
        model = TechWatchArticlePage


class KnowledgeIndexPageFactory(wagtail_factories.PageFactory):
    title = "Base de connaissances"
    slug = "connaissances"

    class Meta:
        model = KnowledgeIndexPage


class KnowledgeCategoryPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Catégorie {n}")

    class Meta:
        model = KnowledgeCategoryPage


class KnowledgeArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Guide {n}")
    summary = "Un guide du club."
    body = factory.LazyFunction(
        lambda: [
            {"type": "heading", "value": {"text": "Contexte", "level": "h2"}},
            {"type": "paragraph", "value": f"<p>Le guide complet. {BODY_MARKER}</p>"},
        ]
    )
    audience = "members"

    class Meta:
        model = KnowledgeArticlePage


class WatchSourceFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Source {n}")
    feed_url = factory.Sequence(lambda n: f"http://127.0.0.1:9/feed-{n}.xml")

    class Meta:
        model = WatchSource


def make_article(index, *, topics=(), clusters=(), **fields):
    """A published watch article under `index`, with its topics and clusters."""
    article = TechWatchArticlePageFactory.build(**fields)
    index.add_child(instance=article)
    if topics:
        article.topics.add(*topics)
    if clusters:
        article.clusters.set(clusters)
    article.save_revision().publish()
    article.refresh_from_db()
    return article
