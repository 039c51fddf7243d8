import pytest

from tests.factories.events import EventIndexPageFactory
from tests.factories.members import make_member, make_staff


@pytest.fixture
def agenda(home_page):
    return EventIndexPageFactory(parent=home_page)


@pytest.fixture
def viewers(db):
    """One person of each kind the access policy knows, for tables of who may register."""
    return {
        "basic": make_member("basic"),
        "premium": make_member("premium"),
        "expired": make_member("premium", expired=True),
        "unsigned": make_member("premium", signed=False),
        "staff": make_staff(),
    }


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what services leave for after the commit (e-mails) as the real request would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
