from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Home and club pages")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page
        from wagtail.models.i18n import LocaleManager
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from .context_processors import bump_footer_version
        from .i18n import locale_for_language
        from .models import ClubSettings

        # Routing every page asks for the active locale; the locales are read once, not per request.
        LocaleManager.get_for_language = locale_for_language

        post_save.connect(bump_footer_version, sender=ClubSettings, dispatch_uid="home.footer.settings")
        # The club's name and footer are on every kept page (members/page_cache.py).
        from members.page_cache import renew_pages_on

        renew_pages_on(ClubSettings)
        page_published.connect(bump_footer_version, dispatch_uid="home.footer.published")
        page_unpublished.connect(bump_footer_version, dispatch_uid="home.footer.unpublished")
        post_page_move.connect(bump_footer_version, dispatch_uid="home.footer.moved")
        post_delete.connect(bump_footer_version, sender=Page, dispatch_uid="home.footer.deleted")
