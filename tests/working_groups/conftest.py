import pytest

from tests.factories.members import make_staff
from tests.factories.working_groups import make_group


@pytest.fixture(autouse=True)
def _private_media(request, settings, tmp_path):
    """Group documents and attachments land in a throw-away folder; a module sharing the demo keeps the
    folder the demo's documents were loaded into (shared_demo)."""
    if "shared_demo" not in request.fixturenames:
        settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def staff():
    return make_staff()


@pytest.fixture
def group(groups_index, staff):
    group = make_group(groups_index, title="Gouvernance IT")
    group.refresh_from_db()
    return group


@pytest.fixture
def other_group(groups_index):
    group = make_group(groups_index, title="Marchés publics")
    group.refresh_from_db()
    return group
