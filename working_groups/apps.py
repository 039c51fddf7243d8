from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkingGroupsConfig(AppConfig):
    name = "working_groups"
    verbose_name = _("Working groups")

    def ready(self):
        from members.access import register_group_provider
        from members.interests import register_cluster_provider

        from . import signals  # noqa: F401
        from .access import memberships_of
        from .models import GroupMembership

        # The policy cannot import this app: the app tells the policy who belongs to which group, and which
        # rows, when written, change someone's groups (their entitlements kept in the session are renewed).
        register_group_provider(memberships_of, sources=[GroupMembership])
        # The clusters of interest a member may choose are the cluster pages themselves.
        from .interests import ClusterInterests

        register_cluster_provider(ClusterInterests())
        # What the groups hold about a person, for "Mes données" and anonymisation.
        from .personal_data import register as register_personal_data

        register_personal_data()
