"""A member's clusters of interest and working groups, as the directory and profile pages show them.

The clusters and groups are the working groups' (their pages): members imports none of them, so the
working groups register a provider here (as they do for group ids in `access.register_group_provider`),
and the profile form, the directory and the profile page ask it. Without a provider there is no cluster
or group to offer, and nothing breaks.
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

    def group_choices(self, viewer):
        return []

    def groups_of(self, viewer, profiles):
        return {}

    def in_group(self, profiles, group_id):
        return profiles.none()

    def group_counts(self, viewer, profiles):
        return []


_provider = NoClusters()


def register_cluster_provider(provider):
    """Called once by the app that owns the clusters. The provider answers:

    - `choices(viewer)`: [(id as text, title)] of the clusters this viewer may know of;
    - `interests_of(viewer, profiles)`: {profile pk: [titles]} of those clusters, in one query;
    - `chosen_by(profile)`: the ids (as text) of the clusters the profile chose;
    - `set_interests(profile, cluster_ids)`: replace the profile's choice;
    - `interested_in(profiles, cluster_id)`: the profiles of a queryset interested in a cluster;
    - `group_choices(viewer)`: [(id as text, title)] of the working groups (clusters included) this viewer
      may know of: a private group is never named to an outsider;
    - `groups_of(viewer, profiles)`: {profile pk: [(id, title)]} of those groups each profile's person is an
      active member of, in one query;
    - `in_group(profiles, group_id)`: the profiles of a queryset whose person is an active member of a group;
    - `group_counts(viewer, profiles)`: [(id, title, count)] of the groups this viewer may know of, with how
      many profiles of the queryset belong to each (one query; groups with none left out).
    """
    global _provider
    _provider = provider
    return provider


def clusters():
    return _provider
