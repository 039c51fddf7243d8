"""What the knowledge base holds about a person: the articles they are credited with (members/personal_data.py).

Anonymising keeps the credit, which then reads "Ancien membre"; the articles' search documents, which
hold their authors' names, are written again.
"""

from django.utils.translation import gettext_lazy as _

from members.personal_data import PersonalData, register_personal_data

from .models import KnowledgeArticlePage


def export_articles(user):
    articles = KnowledgeArticlePage.objects.filter(authors=user).order_by("path")
    return [
        {
            "title": a["title"],
            "url_path": a["url_path"],
            "live": a["live"],
            "first_published_at": a["first_published_at"],
        }
        for a in articles.values("title", "url_path", "live", "first_published_at")
    ]


def anonymise(user):
    article_ids = list(KnowledgeArticlePage.objects.filter(authors=user).values_list("pk", flat=True))
    if article_ids:
        from search import index

        index.update_pages(article_ids)


def register():
    register_personal_data(
        PersonalData(
            "knowledge_articles",
            _("Knowledge-base articles credited to you"),
            export_articles,
            anonymise=anonymise,
            columns=("title", "url_path", "live", "first_published_at"),
        )
    )
