"""Which language a piece of content is written in, beside the language the interface speaks.

The interface follows the URL (`/` French, `/en/` English); a page's content is in its Wagtail locale's
language. When the two differ, the content carries its own `lang` (WCAG 3.1.2) and the page says so.
"""

from django.conf import settings
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver
from django.urls import translate_url
from django.utils.translation import get_language, override
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale

_codes_by_locale_id = {}


# The columns a list of pages reads for each page's link and language (`pageurl`, `content_lang`); lists add
# what their cards show (knowledge.listing, working_groups.listing) and never read bodies.
PAGE_LINK_COLUMNS = ("title", "slug", "url_path", "path", "depth", "locale_id")


def _locale_codes():
    """Locale id → language code, read once per process: a listing of fifty pages costs no query."""
    if not _codes_by_locale_id:
        _codes_by_locale_id.update(Locale.objects.values_list("pk", "language_code"))
    return _codes_by_locale_id


@receiver(post_save, sender=Locale, dispatch_uid="home.i18n.locale_saved")
@receiver(post_delete, sender=Locale, dispatch_uid="home.i18n.locale_deleted")
@receiver(post_migrate, dispatch_uid="home.i18n.database_migrated_or_flushed")
def forget_locale_codes(**kwargs):
    _codes_by_locale_id.clear()


def locale_for_language(manager, language_code):
    """Wagtail's `Locale.objects.get_for_language`, answered from the map of locales.

    Wagtail looks up the active locale to route every page (`site.root_page.localized`): without this,
    each page view pays a query for a row that changes only when an administrator edits the locales.
    Installed in place of Wagtail's method by HomeConfig.ready().
    """
    code = get_supported_content_language_variant(language_code)  # LookupError, as Wagtail's
    for _attempt in range(2):
        for locale_id, known in _locale_codes().items():
            if known == code:
                return Locale.from_db(manager.db, ["id", "language_code"], [locale_id, code])
        forget_locale_codes()  # a locale added since the map was read
    raise Locale.DoesNotExist(f"No locale for the language {code!r}.")


def interface_language():
    """The language the interface speaks now, as a content language code ("fr", "en")."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def content_language(page):
    """The language a page (or anything with a Wagtail locale) is written in.

    Content without a locale (the charter) is in the club's default language.
    """
    # A listing that read only some columns (`.only(...)`) and left the locale out is not made to
    # fetch it page by page: such content is in the default language unless the listing says otherwise.
    locale_id = page.__dict__.get("locale_id")
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


def locale_id_for(language):
    """The id of the content locale of this language, or None if the club has no such locale."""
    for locale_id, code in _locale_codes().items():
        if code == language:
            return locale_id
    return None


def default_locale_id():
    return locale_id_for(settings.LANGUAGE_CODE)


def localized_pages(pages):
    """Each page replaced by its live translation in the interface's language, where it has one.

    One query, none in the default language. The menu and the highlighted pages use it so that `/en/`
    links to the English page when there is one and to the French one otherwise.
    """
    from wagtail.models import Page

    active = locale_id_for(interface_language())
    pages = list(pages)
    if active is None or all(page.locale_id == active for page in pages):
        return pages
    keys = [page.translation_key for page in pages if page.locale_id != active]
    translations = {
        page.translation_key: page
        for page in Page.objects.live().filter(locale_id=active, translation_key__in=keys).specific()
    }
    return [translations.get(page.translation_key, page) for page in pages]


def one_per_translation(queryset):
    """Each page of a listing once, whatever the number of its translations.

    The translation in the interface's language where one is live, else the page in the club's default
    language; a listing that spans the whole tree (latest content, search) filters through this.
    """
    from django.db.models import Q
    from wagtail.models import Page

    active, default = locale_id_for(interface_language()), default_locale_id()
    if default is None or active is None or active == default:
        return queryset.filter(locale_id=default) if default is not None else queryset
    translated = Page.objects.live().filter(locale_id=active).values("translation_key")
    return queryset.filter(Q(locale_id=active) | Q(locale_id=default) & ~Q(translation_key__in=translated))


def interface_url(page, request=None):
    """The page's address in the interface's language: `/en/veille/` for a French page shown under `/en/`.

    Wagtail gives a page the address of its own language (`/veille/`), which would send an English
    reader to the French interface; an untranslated page is served under `/en/` too (HomePage.route).
    """
    url = page.get_url(request=request)
    language, own = interface_language(), content_language(page)
    if not url or language == own:
        return url
    with override(own):
        return translate_url(url, language)


def language_links(request, page=None):
    """The switcher's links: the page's translation where it has one, else the same address in each language.

    Cached per page until the next publication (the footer's version), so a page view costs no query.
    """
    from django.core.cache import cache

    from .context_processors import footer_version

    path = request.get_full_path() if request is not None else "/"
    translated = {}
    if page is not None and getattr(page, "translation_key", None) and page.pk:
        key = f"cercle:translations:{page.pk}:{footer_version()}"
        translated = cache.get(key)
        if translated is None:
            translated = _translation_urls(page, request)
            cache.set(key, translated, 300)
    return [
        {"code": code, "name": name, "url": translated.get(code) or translate_url(path, code)}
        for code, name in settings.LANGUAGES
    ]


def _translation_urls(page, request):
    """{language: address} of the page's live translations, its own language left out."""
    from wagtail.models import Page

    own = content_language(page)
    codes = _locale_codes()
    urls = {}
    for translation in Page.objects.live().filter(translation_key=page.translation_key).exclude(pk=page.pk):
        code = codes.get(translation.locale_id)
        if code and code != own:
            urls[code] = translation.get_url(request=request)
    return urls
