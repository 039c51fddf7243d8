"""What the access policy learns from this app: who belongs to which group, who leads which."""

from .models import GroupMembership


def memberships_of(user):
    """(ids of the groups the person is an active member of, ids of those they lead) — one query."""
    rows = GroupMembership.objects.filter(user=user, state=GroupMembership.State.ACTIVE).values_list("group_id", "role")
    member_of, leads = set(), set()
    for group_id, role in rows:
        member_of.add(group_id)
        if role == GroupMembership.Role.LEAD:
            leads.add(group_id)
    return member_of, leads
