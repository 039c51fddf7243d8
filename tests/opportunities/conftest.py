import pytest

from members import roles
from tests.factories.members import make_member, make_staff
from tests.factories.opportunities import OpportunityIndexPageFactory
from tests.factories.working_groups import make_group


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def opportunities_index(home_page):
    return OpportunityIndexPageFactory(parent=home_page)


@pytest.fixture
def people(groups_index):
    """Each kind of viewer DESIGN.md names. The lead leads a thematic group but is a basic member: leading
    a group opens nothing of the premium programme."""
    basic_in_group, outsider, lead = make_member("basic"), make_member("basic"), make_member("basic")
    make_group(groups_index, leads=[lead], members=[basic_in_group])
    return {
        "anonymous": None,
        "basic": make_member("basic"),
        "premium": make_member("premium"),
        "expired": make_member("premium", expired=True),
        "unsigned": make_member("premium", signed=False),
        "group_member": basic_in_group,
        "outsider": outsider,
        "lead": lead,
        "editor": make_member("basic", roles_=[roles.TECHWATCH_EDITORS]),
        "staff": make_staff(),
    }


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client
