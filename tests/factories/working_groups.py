import datetime

import factory
import wagtail_factories
from django.utils import timezone

from working_groups.models import GroupMembership, MeetingNotePage, WorkingGroupIndexPage, WorkingGroupPage


class WorkingGroupIndexPageFactory(wagtail_factories.PageFactory):
    title = "Groupes de travail"
    slug = "groupes"

    class Meta:
        model = WorkingGroupIndexPage


class WorkingGroupPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Groupe {n}")
    purpose = "<p>Partager les pratiques des membres.</p>"
    kind = "thematic"
    visibility = "members"
    join_policy = "open"

    class Meta:
        model = WorkingGroupPage


class MeetingNotePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Réunion {n}")
    meeting_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    place = "Namur"
    agenda = "<p>Ordre du jour confidentiel</p>"

    class Meta:
        model = MeetingNotePage


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    group = factory.SubFactory(WorkingGroupPageFactory)
    user = factory.SubFactory("tests.factories.members.UserFactory")
    role = "member"
    state = "active"

    class Meta:
        model = GroupMembership


def make_group(index, *, visibility="members", join_policy="open", kind="thematic", leads=(), members=(), **fields):
    """A group under `index` with its leads and members (users) already in."""
    group = WorkingGroupPageFactory(parent=index, visibility=visibility, join_policy=join_policy, kind=kind, **fields)
    for user in leads:
        GroupMembershipFactory(group=group, user=user, role="lead")
    for user in members:
        GroupMembershipFactory(group=group, user=user)
    return group


def make_lead(group, by, tier="premium", **user_fields):
    """A member promoted to lead of `group` the way the club does it: through the services, which grant
    the lead's admin rights on the group's pages and documents."""
    from tests.factories.members import make_member
    from working_groups import services

    user = make_member(tier, **user_fields)
    membership = services.add_member(group, user, by=by)
    services.set_role(membership, GroupMembership.Role.LEAD, by=by)
    user.refresh_from_db()
    return user
