"""Search documents made directly (independent of the apps' indexers), and viewers to search as.

The engine contract suite (tests/search/test_contract.py) builds its rows with `make_document`, so
what it proves about an engine does not depend on how a page becomes a document.
"""

import datetime
import itertools

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from members.access import Viewer
from members.models import Audience
from search.models import SearchDocument, SearchFacet

_numbers = itertools.count(1)


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def make_document(
    title,
    *,
    teaser="",
    body="",
    kind="knowledge_article",
    section="knowledge",
    know=Audience.PUBLIC,
    read=None,
    group_id=None,
    language="fr",
    translation_key="",
    page_path="",
    collection_path="",
    date=None,
    facets=(),
    key=None,
):
    """One search document row (and its facet rows): `facets` is [(facet, value, label)]."""
    number = next(_numbers)
    document = SearchDocument.objects.create(
        key=key or f"test:{number}",
        kind=kind,
        object_id=number,
        url=f"/test/{number}/",
        title=title,
        teaser=teaser,
        body=body,
        section=section,
        language=language,
        translation_key=translation_key,
        know=know,
        read=read or know,
        group_id=group_id,
        page_path=page_path,
        collection_path=collection_path,
        date=date,
    )
    SearchFacet.objects.bulk_create(
        [SearchFacet(document=document, facet=facet, value=str(value), label=label) for facet, value, label in facets]
    )
    return document


def viewer(user=None):
    """The policy's view of a person (anonymous when `user` is None), as a request would build it."""
    return Viewer(user or AnonymousUser())
