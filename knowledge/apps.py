from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = _("Knowledge and technology watch")

    def ready(self):
        from . import dashboard, signals  # noqa: F401

        dashboard.register()
