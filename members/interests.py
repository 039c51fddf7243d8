"""A member's clusters of interest.

The clusters are the working groups' (their cluster pages): members imports none of them, so the
working groups register a provider here (as they do for group ids in `access.register_group_provider`),
and the profile form, the directory and the profile page ask it. Without a provider there is no cluster
to offer, and nothing breaks.
"""


class NoClusters:
    """The answer when no app provides clusters: none to offer, none to show."""

    def choices(self, viewer):
        return []

    def interests_of(self, viewer, profiles):
        return {}

    def chosen_by(self, profile):
        return []

    def set_interests(self, profile, cluster_ids):
        return None

    def interested_in(self, profiles, cluster_id):
        return profiles.none()


_provider = NoClusters()


def register_cluster_provider(provider):
    """Called once by the app that owns the clusters. The provider answers:

    - `choices(viewer)`: [(id as text, title)] of the clusters this viewer may know of;
    - `interests_of(viewer, profiles)`: {profile pk: [titles]} of those clusters, in one query;
    - `chosen_by(profile)`: the ids (as text) of the clusters the profile chose;
    - `set_interests(profile, cluster_ids)`: replace the profile's choice;
    - `interested_in(profiles, cluster_id)`: the profiles of a queryset interested in a cluster.
    """
    global _provider
    _provider = provider
    return provider


def clusters():
    return _provider
