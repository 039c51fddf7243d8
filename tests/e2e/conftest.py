"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

They need the `chromium` package (/usr/bin/chromium, or CHROMIUM_PATH). On a developer's machine they
are skipped without it, saying so; in CI (`CI=true`) a missing browser fails them, so a run that could
not install Chromium never goes green (`.ci/run` installs it). The `club` fixture is in tests/conftest.py.
Under pytest-xdist each worker starts its own live server and browser.
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
        message = f"no Chromium at {CHROMIUM}: install Debian's chromium package to run the browser tests"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message} (CI=true: the browser tests are part of the run)", pytrace=False)
        pytest.skip(message)
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


def pytest_collection_modifyitems(items):
    """Browser journeys run with the page cache on, as the club's members meet the site."""
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.page_cache)
