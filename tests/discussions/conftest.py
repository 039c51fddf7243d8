"""Every kind of viewer the access policy knows, and one space of every kind, for tables of who may do what.

Spaces: the club-wide one (every member), a thematic group read by every member where only its members
post, a cluster (premium members), and a private group (its members only)."""

import pytest

from tests.factories.discussions import ClubSpaceFactory, space_of
from tests.factories.members import make_member, make_staff
from tests.factories.working_groups import make_group


@pytest.fixture(autouse=True)
def _no_rate_limits_unless_asked(request, settings):
    """Tests write many posts quickly; the rate-limit tests set the limits they test."""
    if request.node.get_closest_marker("rate_limits") is None:
        settings.CERCLE_DISCUSSION_POSTS_PER_WINDOW = 10_000
        settings.CERCLE_DISCUSSION_THREADS_PER_WINDOW = 10_000
        settings.CERCLE_DISCUSSION_MENTIONS_PER_WINDOW = 10_000


@pytest.fixture
def people(db):
    """anonymous (None), basic, premium, expired, unsigned, group member, outsider, lead, editor, staff."""
    from members import roles

    return {
        "anonymous": None,
        "basic": make_member("basic", first_name="Bea", last_name="Basic"),
        "premium": make_member("premium", first_name="Paul", last_name="Premium"),
        "expired": make_member("premium", expired=True, first_name="Eric", last_name="Expired"),
        "unsigned": make_member("premium", signed=False, first_name="Ugo", last_name="Unsigned"),
        "member": make_member("premium", first_name="Gina", last_name="Member"),  # in every group below
        "outsider": make_member("premium", first_name="Otto", last_name="Outsider"),  # in none
        "lead": make_member("premium", first_name="Lea", last_name="Lead"),  # leads every group below
        "editor": make_member("basic", roles_=[roles.TECHWATCH_EDITORS], first_name="Ed", last_name="Editor"),
        "staff": make_staff(first_name="Stan", last_name="Staff"),
    }


@pytest.fixture
def spaces(groups_index, people):
    """{"club", "thematic", "cluster", "private"}: one space of each kind, with `member` in and `lead` leading
    each group."""
    leads, members = [people["lead"]], [people["member"]]
    thematic = make_group(groups_index, title="Gouvernance", leads=leads, members=members)
    cluster = make_group(
        groups_index, title="Sécurité", kind="cluster", visibility="premium", leads=leads, members=members
    )
    private = make_group(groups_index, title="Conseil", visibility="private", leads=leads, members=members)
    return {
        "club": ClubSpaceFactory(title="Questions aux pairs", slug="questions-aux-pairs-test"),
        "thematic": space_of(thematic),
        "cluster": space_of(cluster),
        "private": space_of(private),
    }
