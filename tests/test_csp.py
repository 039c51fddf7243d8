"""The Content-Security-Policy: strict on the public site, relaxed for the admin, and nothing inline left
for it to block on the public pages."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories.knowledge import (
    KnowledgeArticlePageFactory,
    KnowledgeIndexPageFactory,
    TechWatchIndexPageFactory,
    make_article,
)
from tests.factories.members import make_member, make_staff
from tests.factories.working_groups import MeetingNotePageFactory, WorkingGroupIndexPageFactory, make_group

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[1]

PUBLIC_DIRECTIVES = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}


def directives(response):
    header = response["Content-Security-Policy"]
    parsed = {}
    for directive in filter(None, (part.strip() for part in header.split(";"))):
        name, *values = directive.split()
        parsed[name] = set(values)
    return parsed


@pytest.fixture
def club_pages(home_page):
    """One page of each kind a member reads, with a premium member who may read them all."""
    premium = make_member("premium")
    watch = TechWatchIndexPageFactory(parent=home_page)
    article = make_article(watch, audience="premium")
    knowledge = KnowledgeIndexPageFactory(parent=home_page)
    guide = KnowledgeArticlePageFactory(parent=knowledge, audience="members")
    group = make_group(WorkingGroupIndexPageFactory(parent=home_page), members=[premium])
    note = MeetingNotePageFactory(parent=group)
    return {
        "premium": premium,
        "urls": {
            "watch index": watch.url,
            "watch article": article.url,
            "guide": guide.url,
            "group": group.url,
            "meeting note": note.url,
            "directory": reverse("members:directory"),
            "own profile": reverse("members:profile"),
            "profile": reverse("members:profile_detail", args=[premium.pk]),
        },
    }


def test_a_public_page_carries_the_strict_policy(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    assert directives(response) == PUBLIC_DIRECTIVES


def test_a_member_page_carries_the_strict_policy(client, club_pages):
    client.force_login(club_pages["premium"])
    response = client.get(club_pages["urls"]["watch article"])
    assert response.status_code == 200
    assert directives(response) == PUBLIC_DIRECTIVES


def test_the_admin_may_run_inline_scripts_and_styles_but_no_one_frames_the_site(client, home_page):
    client.force_login(make_staff())
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == {"'self'", "'unsafe-inline'"}
    assert policy["style-src"] == {"'self'", "'unsafe-inline'"}
    assert policy["object-src"] == {"'none'"}
    # Only the admin's own preview panel may frame an admin page.
    assert policy["frame-ancestors"] == {"'self'"}


def test_a_page_previewed_in_the_admin_carries_the_admin_policy(client, home_page):
    """Wagtail renders a preview through the whole middleware stack with a request for the page's public
    address; the public policy's frame-ancestors 'none' would keep it out of the preview panel."""
    client.force_login(make_staff())
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[home_page.pk]))
    assert response.status_code == 200
    assert directives(response)["frame-ancestors"] == {"'self'"}
    assert response["Content-Security-Policy"].count("frame-ancestors") == 1


# The production profile, in a process of its own: the policy its middleware puts on a public answer.
PRODUCTION_HEADER = (
    "import django; django.setup(); from django.conf import settings; "
    "from django.http import HttpResponse; from django.test import RequestFactory; "
    "from config.csp import CercleCSPMiddleware; "
    "assert 'config.csp.CercleCSPMiddleware' in settings.MIDDLEWARE; "
    "middleware = CercleCSPMiddleware(lambda request: HttpResponse('ok')); "
    "request = RequestFactory().get('/', HTTP_HOST='cercle.example'); "
    "print(middleware(request)['Content-Security-Policy'])"
)


def test_the_production_profile_sends_the_same_policy(tmp_path):
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": "k" * 20 + "-a-long-and-random-production-secret-4f9c2b7e81d0a6",
        "ALLOWED_HOSTS": "cercle.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_HEADER],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    header = result.stdout.strip()
    parsed = {name: set(values) for name, *values in (part.split() for part in header.split(";") if part.strip())}
    assert parsed == PUBLIC_DIRECTIVES


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)


def assert_nothing_inline(html, where):
    assert not INLINE_SCRIPT.search(html), f"an inline <script> on {where}"
    assert not STYLE_ATTRIBUTE.search(html), f"a style attribute on {where}"
    assert not STYLE_ELEMENT.search(html), f"a <style> element on {where}"


def test_the_public_pages_carry_no_inline_script_or_style(client, home_page):
    for where, url in {"home": "/", "login": reverse("login"), "password reset": reverse("password_reset")}.items():
        response = client.get(url)
        assert response.status_code == 200, where
        assert_nothing_inline(response.content.decode(), where)


def test_the_member_pages_carry_no_inline_script_or_style(client, club_pages):
    client.force_login(club_pages["premium"])
    for where, url in {"dashboard": "/", **club_pages["urls"]}.items():
        response = client.get(url)
        assert response.status_code == 200, where
        assert_nothing_inline(response.content.decode(), where)
