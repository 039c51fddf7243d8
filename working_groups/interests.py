"""The clusters of interest a member may choose, and the working groups the directory shows: the live
pages, each offered or named only to those the policy lets know of it (a private cluster or group is
named to its own members only)."""

from collections import defaultdict

from django.db.models import Count

from members.access import filter_pages

from .models import ClusterInterest, GroupMembership, WorkingGroupPage


def _known_clusters(viewer):
    clusters = WorkingGroupPage.objects.live().filter(kind=WorkingGroupPage.Kind.CLUSTER)
    return filter_pages(viewer, clusters).order_by("title")


def _known_groups(viewer):
    return filter_pages(viewer, WorkingGroupPage.objects.live())


def _active_memberships(viewer):
    known = _known_groups(viewer).values("pk")
    return GroupMembership.objects.filter(state=GroupMembership.State.ACTIVE, group__in=known)


class ClusterInterests:
    def choices(self, viewer):
        return [(str(pk), title) for pk, title in _known_clusters(viewer).values_list("pk", "title")]

    def interests_of(self, viewer, profiles):
        known = _known_clusters(viewer).values("pk")
        rows = (
            ClusterInterest.objects.filter(profile__in=[p.pk for p in profiles], cluster__in=known)
            .order_by("cluster__title")
            .values_list("profile_id", "cluster__title")
        )
        titles = defaultdict(list)
        for profile_id, title in rows:
            titles[profile_id].append(title)
        return titles

    def chosen_by(self, profile):
        if profile.pk is None:
            return []
        return [str(pk) for pk in profile.cluster_interests.values_list("cluster_id", flat=True)]

    def set_interests(self, profile, cluster_ids):
        """Keep exactly these clusters (the form offers only those the member may know of)."""
        wanted = {int(pk) for pk in cluster_ids}
        profile.cluster_interests.exclude(cluster_id__in=wanted).delete()
        have = set(profile.cluster_interests.values_list("cluster_id", flat=True))
        ClusterInterest.objects.bulk_create(
            ClusterInterest(profile=profile, cluster_id=pk) for pk in sorted(wanted - have)
        )

    def interested_in(self, profiles, cluster_id):
        return profiles.filter(cluster_interests__cluster_id=cluster_id)

    # --- Working groups, for the directory's facet and the profile page ---------------------------------

    def group_choices(self, viewer):
        return [(str(pk), title) for pk, title in _known_groups(viewer).order_by("title").values_list("pk", "title")]

    def groups_of(self, viewer, profiles):
        rows = (
            _active_memberships(viewer)
            .filter(user__profile__in=[p.pk for p in profiles])
            .order_by("group__title", "group_id")
            .values_list("user__profile__id", "group_id", "group__title")
        )
        groups = defaultdict(list)
        for profile_id, group_id, title in rows:
            groups[profile_id].append((group_id, title))
        return groups

    def in_group(self, profiles, group_id):
        members = GroupMembership.objects.filter(group_id=group_id, state=GroupMembership.State.ACTIVE)
        return profiles.filter(user__in=members.values("user_id"))

    def group_counts(self, viewer, profiles):
        rows = (
            _active_memberships(viewer)
            .filter(user__profile__in=profiles.values("pk"))
            .values("group_id", "group__title")
            .annotate(count=Count("user_id", distinct=True))
            .order_by("-count", "group__title")
        )
        return [(row["group_id"], row["group__title"], row["count"]) for row in rows]
