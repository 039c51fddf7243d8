from io import StringIO

import pytest

from tests.factories.home import make_site


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file, as in the embedded profile, one per xdist worker (each has
    its own temporary folder). An in-memory database shares one cache between threads, so it would hide
    how concurrent writers wait for each other (tests/config/test_sqlite_concurrency.py)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and not database.get("TEST", {}).get("NAME"):
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")


def pytest_configure(config):
    _shared_cache_in_memory()
    config.addinivalue_line("markers", "axes: keep django-axes' brute-force protection on for this test")
    config.addinivalue_line("markers", "elasticsearch: this test talks to the Elasticsearch server itself")
    config.addinivalue_line("markers", "page_cache: keep the page cache on (members/page_cache.py) for this test")


@pytest.fixture(autouse=True)
def _axes_off_unless_asked(request, settings):
    """django-axes needs a real request to authenticate; tests that test it ask for it with @pytest.mark.axes."""
    if request.node.get_closest_marker("axes") is None:
        settings.AXES_ENABLED = False


def _shared_cache_in_memory():
    """The "shared" cache (sessions, entitlement stamps) is a folder on disk outside the tests; each test
    process keeps its own in memory instead, so that parallel workers never read each other's."""
    from django.conf import settings
    from django.test.signals import setting_changed

    settings.CACHES = {
        **settings.CACHES,
        "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cercle-shared"},
    }
    setting_changed.send(sender=None, setting="CACHES", value=settings.CACHES, enter=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches (the footer fragment, the site root paths, the map of locales, which
    a rolled-back test may have read with a locale it added or removed; kept pages, sessions, stamps)."""
    from django.core.cache import caches

    from home.i18n import forget_locale_codes

    for cache in caches.all():
        cache.clear()
    forget_locale_codes()


@pytest.fixture(autouse=True)
def _page_cache_off_unless_asked(request, settings):
    """Tests that count a page's queries measure its rendering: a kept page would cost none. The page
    cache's own tests, the serving table and the browser journeys keep it on (@pytest.mark.page_cache)."""
    if request.node.get_closest_marker("page_cache") is None:
        settings.CERCLE_PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _database_search_unless_asked(request, settings):
    """Searches go to the database engine: an Elasticsearch server named by ELASTICSEARCH_URL holds only
    what the search tests put there themselves (tests/search/conftest.py's `engine` fixture)."""
    if request.node.get_closest_marker("elasticsearch") is None:
        settings.ELASTICSEARCH_URL = ""


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a request under /en/ leaves English active in the
    thread, and a later test's reverse() would otherwise build /en/ addresses."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Django's real hasher costs ~0.4 s a user; tests are about who sees what, not about hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def home_page(db):
    return make_site()


@pytest.fixture
def groups_index(home_page):
    from tests.factories.working_groups import WorkingGroupIndexPageFactory

    return WorkingGroupIndexPageFactory(parent=home_page)


@pytest.fixture
def club(transactional_db):
    """What migrations create (locale, root page, roles) and the home page, for tests that commit for
    real (browser tests, concurrent writers): a transactional test's flush removes them, so these tests
    build them again rather than rely on an earlier test."""
    from wagtail.models import Collection, Locale, Page, Site

    from members.roles import sync_role_permissions

    Locale.objects.get_or_create(language_code="fr")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root"))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    if not Site.objects.exists():
        Site.objects.create(hostname="localhost", root_page=Page.objects.get(depth=1), is_default_site=True)
    sync_role_permissions()
    return make_site()


@pytest.fixture(scope="module")
def shared_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for a module whose tests only read it (loading it takes seconds).

    It is loaded in a transaction that stays open for the whole module and is rolled back at its end;
    each test runs in a savepoint inside it, so what a test changes is undone before the next. Its
    documents go to a folder of the module's own. Returns the demo's users by username."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    with (
        django_db_blocker.unblock(),
        # The module's tests hash with MD5 (`_fast_password_hashing`); the demo's accounts are hashed so too,
        # which saves the real hasher's seconds on each load.
        override_settings(
            MEDIA_ROOT=str(tmp_path_factory.mktemp("demo-media")),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=StringIO())
        yield get_user_model().objects.in_bulk(field_name="username")
        transaction.set_rollback(True)
