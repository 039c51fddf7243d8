import pytest
from wagtail.users.models import UserProfile

from tests.factories.members import make_staff


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded photos and imported files land in a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def staff():
    user = make_staff()
    # The admin speaks each user's language; English keeps these assertions true once French is filled in.
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client
