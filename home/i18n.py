"""Which language a piece of content is written in, beside the language the interface speaks.

The interface follows the URL (`/` French, `/en/` English); a page's content is in its Wagtail locale's
language. When the two differ, the content carries its own `lang` (WCAG 3.1.2) and the page says so.
"""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import get_language
from wagtail.models import Locale

_codes_by_locale_id = {}


def _locale_codes():
    """Locale id → language code, read once per process: a listing of fifty pages costs no query."""
    if not _codes_by_locale_id:
        _codes_by_locale_id.update(Locale.objects.values_list("pk", "language_code"))
    return _codes_by_locale_id


@receiver(post_save, sender=Locale, dispatch_uid="home.i18n.locale_saved")
@receiver(post_delete, sender=Locale, dispatch_uid="home.i18n.locale_deleted")
def forget_locale_codes(**kwargs):
    _codes_by_locale_id.clear()


def interface_language():
    """The language the interface speaks now, as a content language code ("fr", "en")."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def content_language(page):
    """The language a page (or anything with a Wagtail locale) is written in.

    Content without a locale (the charter, a search hit) is in the club's default language.
    """
    locale_id = getattr(page, "locale_id", None)
    if locale_id is None:
        return settings.LANGUAGE_CODE
    codes = _locale_codes()
    if locale_id not in codes:  # a locale added since the map was read
        forget_locale_codes()
        codes = _locale_codes()
    return codes.get(locale_id, settings.LANGUAGE_CODE)


def foreign_language(page):
    """The content's language if it is not the interface's, else None."""
    language = content_language(page)
    return language if language != interface_language() else None
