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


def test_load_demo_builds_the_club_and_runs_twice_without_duplicates(client, capsys):
    call_command("load_demo")
    first = counts()
    output = capsys.readouterr().out
    assert "http://127.0.0.1:8000/" in output
    assert "admin" in output and "cercle-demo" in output

    call_command("load_demo")
    assert counts() == first

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


def test_load_demo_sets_the_password_it_is_given(client):
    call_command("load_demo", password="autre-secret-42")
    assert client.login(username="admin", password="autre-secret-42")


def test_load_demo_refuses_the_production_profile(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("load_demo")
    assert not HomePage.objects.exists()


def test_loading_the_demo_emails_no_group_member(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    titles = set(WorkingGroupPage.objects.values_list("title", flat=True))
    assert not [m.subject for m in mailoutbox if any(title in m.subject for title in titles)]
