from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Home and club pages")

    def ready(self):
        from wagtail.models.i18n import LocaleManager

        from members.page_cache import renew_pages_on

        from .i18n import locale_for_language
        from .models import ClubSettings

        # Routing every page asks for the active locale; the locales are read once, not per request.
        LocaleManager.get_for_language = locale_for_language

        # The club's name and footer are on every kept page and fragment (members/page_cache.py renews the
        # pages stamp on publications, moves and deletions too; home.context_processors.footer_version).
        renew_pages_on(ClubSettings)
