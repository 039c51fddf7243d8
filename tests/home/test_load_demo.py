import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.models import Page, Site

from home.models import ClubSettings, HomePage
from working_groups.models import WorkingGroupPage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def counts():
    return {
        "pages": Page.objects.count(),
        "users": get_user_model().objects.count(),
        "sites": Site.objects.count(),
        "settings": ClubSettings.objects.count(),
    }


def every_count():
    """The rows of every model of the project's apps, of Wagtail's pages, revisions and documents, and of
    the accounts: what a second run must leave as it found it."""
    from django.apps import apps

    counted = {"wagtailcore", "wagtaildocs", "wagtailimages", "auth", "taggit"}
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in counted or model.__module__.split(".")[0] in PROJECT_APPS
    }


PROJECT_APPS = {"home", "members", "working_groups", "knowledge", "events", "opportunities", "discussions", "search"}


def test_load_demo_builds_the_club_and_a_second_run_changes_nothing(
    client, capsys, mailoutbox, django_capture_on_commit_callbacks
):
    """One test for the whole demo's first and second runs, because a load takes seconds: the apps' own
    demo tests read a demo loaded once (tests/conftest.py, `shared_demo`)."""
    from knowledge.models import TechWatchArticlePage

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    first, first_counts = counts(), every_count()
    output = capsys.readouterr().out
    assert "http://127.0.0.1:8000/" in output
    assert "admin" in output and "cercle-demo" in output
    assert any(line.lstrip().startswith("+ ") for line in output.splitlines())  # what it created, told
    # Loading the demo e-mails no group member (nor anyone: nobody is told of what the demo writes).
    titles = set(WorkingGroupPage.objects.values_list("title", flat=True))
    assert not [m.subject for m in mailoutbox if any(title in m.subject for title in titles)]

    # A second run creates nothing in any app, keeps what an editor changed, e-mails nobody, and sets the
    # password it is given.
    TechWatchArticlePage.objects.filter(slug="http-3-progresse").update(title="HTTP/3 : titre revu")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", password="autre-secret-42")
    assert counts() == first
    assert every_count() == first_counts
    second = capsys.readouterr().out
    assert "Gouvernance IT" in second
    assert [line for line in second.splitlines() if line.lstrip().startswith("+ ")] == []
    assert not mailoutbox
    assert TechWatchArticlePage.objects.get(slug="http-3-progresse").title == "HTTP/3 : titre revu"
    assert client.login(username="admin", password="autre-secret-42")
    client.logout()

    home = HomePage.objects.get(locale__language_code="fr")
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert set(home.get_children().values_list("slug", flat=True)) >= {"le-club", "contact"}
    response = client.get("/le-club/")
    assert response.status_code == 200
    assert "uniquement sur invitation" in response.content.decode()
    assert client.get("/").status_code == 200
    # The public pages exist in English, translated once however often the demo is loaded.
    assert HomePage.objects.filter(locale__language_code="en").count() == 1
    assert "The club of IT leaders" in client.get("/en/").content.decode()
    assert "by invitation only" in client.get("/en/le-club/").content.decode()


def test_load_demo_refuses_the_production_profile(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("load_demo")
    assert not HomePage.objects.exists()
