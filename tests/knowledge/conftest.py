import pytest

from tests.factories.knowledge import (
    KnowledgeCategoryPageFactory,
    KnowledgeIndexPageFactory,
    TechWatchIndexPageFactory,
)
from tests.factories.members import make_member, make_staff


@pytest.fixture
def watch_index(home_page):
    return TechWatchIndexPageFactory(parent=home_page)


@pytest.fixture
def knowledge_index(home_page):
    return KnowledgeIndexPageFactory(parent=home_page)


@pytest.fixture
def knowledge_category(knowledge_index):
    return KnowledgeCategoryPageFactory(parent=knowledge_index, title="Marchés publics", slug="marches-publics")


@pytest.fixture
def viewers(db):
    """One person of each kind the access policy knows, for tables of who sees what."""
    from members import roles

    return {
        "basic": make_member("basic"),
        "premium": make_member("premium"),
        "expired": make_member("premium", expired=True),
        "unsigned": make_member("premium", signed=False),
        "editor": make_member("basic", roles_=[roles.TECHWATCH_EDITORS]),
        "contributor": make_member("basic", roles_=[roles.TECHWATCH_CONTRIBUTORS]),
        "staff": make_staff(),
    }
