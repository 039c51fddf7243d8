"""French first: every string a person reads has its French translation."""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[1] / "site" / "locale"


def test_french_catalogue_is_complete():
    catalogue = polib.pofile(str(LOCALE / "fr" / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 0
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


def test_french_catalogue_is_compiled(settings):
    from django.utils import translation

    with translation.override("fr"):
        assert translation.gettext("Skip to content") == "Aller au contenu"
