"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

They need the `chromium` package (/usr/bin/chromium, or CHROMIUM_PATH); without it they are skipped,
saying so. `.ci/run` installs it.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around it are
# still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium package to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(width=1200):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-BE")
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def club(transactional_db):
    """What migrations create (locale, root page, roles) and the home page: a transactional test's
    flush removes them, so browser tests build them again rather than rely on an earlier test."""
    from wagtail.models import Collection, Locale, Page, Site

    from members.roles import sync_role_permissions
    from tests.factories.home import make_site

    Locale.objects.get_or_create(language_code="fr")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root"))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    if not Site.objects.exists():
        Site.objects.create(hostname="localhost", root_page=Page.objects.get(depth=1), is_default_site=True)
    sync_role_permissions()
    return make_site()
