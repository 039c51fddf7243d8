"""The admin report "Knowledge articles to review": live guides last reviewed over a year ago, for the watch's
editors and club staff only, with Wagtail's CSV and XLSX exports."""

import csv
import datetime
import io

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from knowledge.reports import ReviewReportMenuItem
from tests.factories.knowledge import KnowledgeArticlePageFactory, KnowledgeCategoryPageFactory
from tests.factories.members import UserFactory, make_member
from tests.factories.working_groups import make_group

pytestmark = pytest.mark.django_db

REPORT = "knowledge_review_report"


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def guide(category, slug, reviewed_days_ago, authors=(), **fields):
    article = KnowledgeArticlePageFactory(
        parent=category, slug=slug, title=f"Guide {slug}", last_reviewed=days_ago(reviewed_days_ago), **fields
    )
    if authors:
        article.authors.set(authors)
        article.save()
    return article


@pytest.fixture
def articles(knowledge_index, knowledge_category):
    other = KnowledgeCategoryPageFactory(parent=knowledge_index, title="Cybersécurité", slug="cyber")
    author = make_member("basic", first_name="Claire", last_name="Dubois")
    author.profile.display_name = "C. Dubois"
    author.profile.save()
    co_author = make_member("basic", first_name="Marc", last_name="Lambert")
    draft = guide(knowledge_category, "brouillon-ancien", 900)
    draft.unpublish()
    return {
        "oldest": guide(other, "tres-ancien", 800, authors=[author, co_author]),
        "stale": guide(knowledge_category, "ancien", 400, audience="public"),
        "boundary": guide(knowledge_category, "un-an-pile", 365),
        "fresh": guide(knowledge_category, "recent", 30),
        "draft": draft,
    }


@pytest.fixture
def people(viewers, groups_index):
    lead = make_member("basic")
    make_group(groups_index, leads=[lead])
    superuser = UserFactory(is_superuser=True, is_staff=True)
    return {**viewers, "lead": lead, "superuser": superuser}


def rows(response):
    table = BeautifulSoup(response.content.decode(), "html.parser").find(attrs={"data-testid": "stale-articles"})
    if table is None:
        return []
    return [[cell.get_text(" ", strip=True) for cell in tr.find_all("td")] for tr in table.tbody.find_all("tr")]


@pytest.mark.parametrize("kind", ["editor", "staff", "superuser"])
def test_report_lists_live_articles_reviewed_over_a_year_ago_oldest_first(client, people, articles, kind):
    client.force_login(people[kind])
    response = client.get(reverse(REPORT))
    assert response.status_code == 200
    listed = rows(response)
    assert [row[0] for row in listed] == ["Guide tres-ancien", "Guide ancien"]
    assert listed[0][1] == "Cybersécurité"
    assert listed[0][3] == "C. Dubois, Marc Lambert"
    assert listed[1][1] == "Marchés publics"
    page = BeautifulSoup(response.content.decode(), "html.parser")
    edit = page.find("a", string="Guide tres-ancien")
    assert edit["href"] == reverse("wagtailadmin_pages:edit", args=[articles["oldest"].pk])


def test_report_says_when_nothing_needs_review(client, people, knowledge_category):
    guide(knowledge_category, "recent", 10)
    client.force_login(people["editor"])
    response = client.get(reverse(REPORT))
    assert response.status_code == 200
    assert rows(response) == []


@pytest.mark.parametrize("kind", ["lead", "contributor"])
def test_report_is_refused_to_other_admin_users(client, people, articles, kind):
    client.force_login(people[kind])
    assert client.get(reverse("wagtailadmin_home")).status_code == 200  # they do work in the admin
    response = client.get(reverse(REPORT))
    # Wagtail's "permission denied": a message and back to the admin's dashboard, nothing of the report.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert client.get(reverse(REPORT, query={"export": "csv"})).status_code == 302
    assert client.get(reverse("knowledge_review_report_results")).status_code == 302


@pytest.mark.parametrize("kind", ["basic", "premium", "anonymous"])
def test_report_is_refused_to_people_without_admin_access(client, people, articles, kind):
    if kind != "anonymous":
        client.force_login(people[kind])
    response = client.get(reverse(REPORT))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert "Guide" not in response.content.decode()


@pytest.mark.parametrize(
    "kind,shown",
    [("editor", True), ("staff", True), ("superuser", True), ("lead", False), ("contributor", False), ("basic", False)],
)
def test_reports_menu_offers_the_report_to_editors_and_staff_only(people, kind, shown):
    request = RequestFactory().get("/admin/")
    request.user = people[kind]
    item = ReviewReportMenuItem("Knowledge articles to review", reverse(REPORT))
    assert item.is_shown(request) is shown


def test_csv_export_lists_the_same_articles(client, people, articles):
    client.force_login(people["editor"])
    response = client.get(reverse(REPORT), {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "knowledge-articles-to-review" in response["Content-Disposition"]
    content = b"".join(response.streaming_content).decode("utf-8")
    header, *lines = list(csv.reader(io.StringIO(content)))
    assert len(header) == 5
    assert [line[:4] for line in lines] == [
        ["Guide tres-ancien", "Cybersécurité", days_ago(800).isoformat(), "C. Dubois, Marc Lambert"],
        ["Guide ancien", "Marchés publics", days_ago(400).isoformat(), ""],
    ]
    assert lines[0][4].endswith(reverse("wagtailadmin_pages:edit", args=[articles["oldest"].pk]))


def test_xlsx_export_works(client, people, articles):
    client.force_login(people["staff"])
    response = client.get(reverse(REPORT), {"export": "xlsx"})
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = list(workbook.active.values)
    assert [row[0] for row in values[1:]] == ["Guide tres-ancien", "Guide ancien"]


def test_report_costs_the_same_queries_with_2_or_12_stale_articles(client, people, knowledge_category):
    def add(count, start):
        for n in range(start, start + count):
            guide(knowledge_category, f"ancien-{n}", 400 + n, authors=[make_member("basic"), make_member("basic")])

    client.force_login(people["editor"])

    def measure():
        client.get(reverse(REPORT))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(REPORT)).status_code == 200
        return len(captured.captured_queries)

    add(2, 0)
    few = measure()
    add(10, 2)
    assert measure() == few
