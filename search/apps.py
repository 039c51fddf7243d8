from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "cercle_search"  # "search" is taken by wagtail.search
    verbose_name = _("Search")

    def ready(self):
        # The built-in indexers (people, documents), then each content app's `search.py`.
        from django.utils.module_loading import autodiscover_modules

        from . import indexers, signals  # noqa: F401

        autodiscover_modules("search")
