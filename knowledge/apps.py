from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = _("Knowledge and technology watch")

    def ready(self):
        from . import signals  # noqa: F401
        from .personal_data import register as register_personal_data  # "Mes données", anonymisation

        register_personal_data()
