from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    name = "discussions"
    verbose_name = _("Discussions")

    def ready(self):
        from . import personal_data, signals

        personal_data.register()  # "Mes données" and anonymisation (members/personal_data.py)
        signals.connect()  # spaces follow their groups: created, renamed, audiences changed
