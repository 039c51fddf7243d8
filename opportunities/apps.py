from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    name = "opportunities"
    verbose_name = _("Business opportunities")

    def ready(self):
        from members.personal_data import PersonalData, register_personal_data

        from . import signals  # noqa: F401
        from .personal_data import anonymise_interests, export_alerts, export_interests

        # members cannot import this app: "Mes données" and the anonymisation learn of interests here.
        register_personal_data(
            PersonalData(
                name="opportunity_interests",
                label=_("Interests in business opportunities"),
                export=export_interests,
                anonymise=anonymise_interests,
            )
        )
        # Alerts hold nothing the person wrote: kept as they are on anonymisation.
        register_personal_data(
            PersonalData(name="opportunity_alerts", label=_("Opportunity alerts received"), export=export_alerts)
        )
