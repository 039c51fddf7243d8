from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _after_migrate(sender, using="default", **kwargs):
    from .access import refresh_missing_audiences
    from .roles import sync_role_permissions

    sync_role_permissions(using=using)
    refresh_missing_audiences()


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from . import entitlements, page_cache, signals  # noqa: F401
        from .wagtail_hooks import replace_wagtails_restriction_check

        replace_wagtails_restriction_check()
        entitlements.connect()
        page_cache.connect()

        # Permissions only exist once every app has migrated, so the roles' grants are applied after
        # migrate; the groups themselves come from members' data migration. Pages that predate the
        # audience table (or were bulk-loaded) get their row then too.
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="members.after_migrate")
