from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from . import personal_data, registration_signals

        personal_data.register()  # "Mes données" and anonymisation (members/personal_data.py)
        registration_signals.connect()  # more seats published: the waiting list moves up
        # The agenda kept for visitors shows which events are full (members/page_cache.py).
        from members.page_cache import renew_pages_on

        from .models import Registration

        renew_pages_on(Registration)
