import pytest

from tests.factories.home import make_site


@pytest.fixture
def home_page(db):
    return make_site()
