from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Home and club pages")

    def ready(self):
        from django.db.models.signals import post_save
        from wagtail.signals import page_published, page_unpublished

        from . import dashboard
        from .context_processors import bump_footer_version
        from .models import ClubSettings

        dashboard.register()
        post_save.connect(bump_footer_version, sender=ClubSettings, dispatch_uid="home.footer.settings")
        page_published.connect(bump_footer_version, dispatch_uid="home.footer.published")
        page_unpublished.connect(bump_footer_version, dispatch_uid="home.footer.unpublished")
