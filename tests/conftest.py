import pytest

from tests.factories.home import make_site


def pytest_configure(config):
    config.addinivalue_line("markers", "axes: keep django-axes' brute-force protection on for this test")


@pytest.fixture(autouse=True)
def _axes_off_unless_asked(request, settings):
    """django-axes needs a real request to authenticate; tests that test it ask for it with @pytest.mark.axes."""
    if request.node.get_closest_marker("axes") is None:
        settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the footer fragment, the site root paths)."""
    from django.core.cache import cache

    cache.clear()


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
