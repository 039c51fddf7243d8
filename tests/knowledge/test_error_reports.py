"""'Signaler une erreur': members report on an article; the editors get it in the admin and by e-mail;
the rate limit refuses politely and keeps nothing half-done."""

import pytest
from django.core import mail
from django.urls import reverse

from knowledge.models import ErrorReport
from knowledge.services import REPORTS_PER_HOUR
from members import roles
from tests.factories.knowledge import make_article
from tests.factories.members import make_member, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_member("premium", roles_=[roles.TECHWATCH_EDITORS], email="redaction@example.org")


@pytest.fixture
def article(watch_index):
    return make_article(watch_index, audience="premium", title="Le cloud souverain")


def report_url(page):
    return reverse("knowledge:report_error", args=[page.pk])


def send(client, page, message="Le chiffre de 2024 est faux : 42 % et non 24 %.", kind="error"):
    return client.post(report_url(page), {"kind": kind, "message": message})


def test_a_basic_member_reports_on_a_premium_teaser_and_the_editors_get_it(
    client, article, editor, django_capture_on_commit_callbacks
):
    member = make_member("basic", first_name="Béa", last_name="Simon", email="bea@example.org")
    client.force_login(member)
    assert 'data-testid="report-link"' in client.get(article.url).content.decode()
    assert client.get(report_url(article)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, article)
    assert response.status_code == 302 and response["Location"] == article.url
    report = ErrorReport.objects.get()
    assert (report.page_id, report.sender, report.kind) == (article.pk, member, "error")
    (email,) = mail.outbox
    assert email.to == ["redaction@example.org"]
    assert email.reply_to == ["bea@example.org"]
    assert "Le cloud souverain" in email.subject
    assert "42 %" in email.body and "Béa Simon" in email.body and article.url in email.body


def test_an_invalid_report_is_shown_again_with_its_errors_and_nothing_is_kept(client, article, editor):
    client.force_login(make_member("basic"))
    response = send(client, article, message="court")
    assert response.status_code == 400
    assert "court" in response.content.decode()  # the text typed is not lost
    assert not ErrorReport.objects.exists() and not mail.outbox


def test_reports_are_limited_per_hour(client, article, editor):
    client.force_login(make_member("basic"))
    for _ in range(REPORTS_PER_HOUR):
        assert send(client, article).status_code == 302
    response = send(client, article, message="Un de trop, mais poliment refusé.")
    assert response.status_code == 429
    assert "Un de trop" in response.content.decode()
    assert ErrorReport.objects.count() == REPORTS_PER_HOUR


@pytest.mark.parametrize(
    ("kind", "status"),
    [("anonymous", 302), ("expired", 403), ("unsigned", 302), ("basic", 200), ("premium", 200), ("staff", 200)],
)
def test_who_may_report(client, article, kind, status):
    people = {
        "expired": lambda: make_member("premium", expired=True),
        "unsigned": lambda: make_member("premium", signed=False),
        "basic": lambda: make_member("basic"),
        "premium": lambda: make_member("premium"),
        "staff": make_staff,
    }
    if kind in people:
        client.force_login(people[kind]())
    assert client.get(report_url(article)).status_code == status
    if status != 200:
        assert send(client, article).status_code == status
        assert not ErrorReport.objects.exists()


def test_only_articles_may_be_reported_on(client, home_page, watch_index):
    client.force_login(make_member("premium"))
    assert client.get(report_url(home_page)).status_code == 404
    assert client.get(reverse("knowledge:report_error", args=[999999])).status_code == 404


def test_a_visitor_reads_a_public_article_but_is_not_offered_to_report(client, watch_index):
    public = make_article(watch_index, audience="public")
    assert 'data-testid="report-link"' not in client.get(public.url).content.decode()
    assert client.get(report_url(public)).status_code == 302


def test_editors_see_and_handle_reports_in_the_admin(client, article, editor):
    ErrorReport.objects.create(page=article, sender=make_member("basic"), message="Coquille dans le titre.")
    client.force_login(editor)
    listing = client.get(reverse("knowledge_reports:index"))
    assert listing.status_code == 200 and "Le cloud souverain" in listing.content.decode()
    report = ErrorReport.objects.get()
    response = client.post(reverse("knowledge_reports:edit", args=[report.pk]), {"handled": "on"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.handled


def test_group_leads_do_not_see_reports(client, article):
    client.force_login(make_member("premium", roles_=[roles.GROUP_LEADS]))
    response = client.get(reverse("knowledge_reports:index"))
    assert response.status_code in (302, 403)


def test_reports_and_digests_are_not_typed_into_the_admin(client, article):
    """Both are written by the site; even a superuser only reads them (and marks reports handled)."""
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    assert client.get(reverse("knowledge_reports:index")).status_code == 200
    assert client.get(reverse("knowledge_digests:index")).status_code == 200
    for name in ("knowledge_reports:add", "knowledge_digests:add"):
        assert client.get(reverse(name)).status_code in (302, 403)
    assert not ErrorReport.objects.exists()
