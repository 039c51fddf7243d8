"""`manage.py search_index rebuild`: every document written anew, stale ones removed, the full-text
index consistent with the rows, and searches answering from it afterwards."""

from io import StringIO

import pytest
from django.core.management import call_command

from search import api
from search.models import SearchDocument
from tests.factories.home import StandardPageFactory
from tests.factories.search import make_document, viewer

pytestmark = pytest.mark.django_db


def test_a_rebuild_restores_lost_documents_and_removes_stale_ones(home_page):
    page = StandardPageFactory(parent=home_page, title="Charte des usages numériques")
    SearchDocument.objects.filter(key=f"page:{page.pk}").delete()  # lost, as after a failed task
    make_document("Une page disparue depuis longtemps", key="page:999999")  # stale: its page is gone
    assert api.search("usages", viewer(None)).results.total == 0

    out = StringIO()
    call_command("search_index", "rebuild", "--no-progress", stdout=out)

    assert "search documents indexed" in out.getvalue()
    assert SearchDocument.objects.filter(key=f"page:{page.pk}").exists()
    assert not SearchDocument.objects.filter(key="page:999999").exists()
    answer = api.search("usages", viewer(None))
    assert [hit.document.key for hit in answer.results.hits] == [f"page:{page.pk}"]
    assert api.search("disparue", viewer(None)).results.total == 0


def test_a_rebuild_twice_changes_nothing(home_page):
    StandardPageFactory(parent=home_page, title="Statuts du club")
    call_command("search_index", "rebuild", "--no-progress", stdout=StringIO())
    first = sorted(SearchDocument.objects.values_list("key", "title", "know", "read"))
    call_command("search_index", "rebuild", "--no-progress", stdout=StringIO())
    assert sorted(SearchDocument.objects.values_list("key", "title", "know", "read")) == first
    assert api.search("statuts", viewer(None)).results.total == 1


def test_an_unknown_action_is_refused_with_a_message():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("search_index", "drop", stdout=StringIO())
