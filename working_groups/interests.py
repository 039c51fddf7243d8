"""The clusters of interest a member may choose: the live cluster pages, each offered only to those the
policy lets know of it (a private cluster is named to its own members only)."""

from collections import defaultdict

from members.access import filter_pages

from .models import ClusterInterest, WorkingGroupPage


def _known_clusters(viewer):
    clusters = WorkingGroupPage.objects.live().filter(kind=WorkingGroupPage.Kind.CLUSTER)
    return filter_pages(viewer, clusters).order_by("title")


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
