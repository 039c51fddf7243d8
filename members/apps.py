from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, using="default", **kwargs):
    from .roles import sync_role_permissions

    sync_role_permissions(using=using)


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        # Permissions only exist once every app has migrated, so the roles' grants are applied after
        # migrate; the groups themselves come from members' data migration.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="members.sync_roles")
