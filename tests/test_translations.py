"""French first: every string a person reads has its French translation.

The committed catalogue alone cannot tell a string that was never extracted, so the test extracts the
strings again (`makemessages`, as `make makemessages` does) into a copy of the locale folder and
compares them with the committed French catalogue.
"""

import shutil
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command

LOCALE = Path(__file__).resolve().parents[1] / "site" / "locale"
# The folders `make makemessages` leaves out, and the real locale folder, which must stay untouched.
IGNORED = [".venv", "static", "media", "site/locale", "*.egg-info"]


def key(entry):
    return (entry.msgctxt or "", entry.msgid)


def extracted_catalogue(tmp_path, monkeypatch):
    """The French catalogue `makemessages` would write today, made in a copy of the locale folder."""
    copy = tmp_path / "locale"
    shutil.copytree(LOCALE, copy)
    monkeypatch.chdir(settings.BASE_DIR)  # makemessages walks the current folder
    monkeypatch.setattr(settings, "LOCALE_PATHS", [copy])
    call_command("makemessages", locale=["fr"], ignore_patterns=IGNORED, no_obsolete=True, verbosity=0)
    return polib.pofile(str(copy / "fr" / "LC_MESSAGES" / "django.po"))


def test_every_string_in_the_code_is_in_the_french_catalogue_and_translated(tmp_path, monkeypatch):
    committed_path = LOCALE / "fr" / "LC_MESSAGES" / "django.po"
    before = committed_path.read_bytes()
    committed = polib.pofile(str(committed_path))
    assert len(committed) > 0

    extracted = extracted_catalogue(tmp_path, monkeypatch)

    assert committed_path.read_bytes() == before
    known = {key(entry) for entry in committed}
    missing = sorted(entry.msgid for entry in extracted if key(entry) not in known)
    assert missing == [], "never extracted (run `make makemessages`, then translate):\n" + "\n".join(missing)
    assert [entry.msgid for entry in committed.untranslated_entries()] == []
    assert [entry.msgid for entry in committed.fuzzy_entries()] == []


def test_french_catalogue_is_compiled(settings):
    from django.utils import translation

    with translation.override("fr"):
        assert translation.gettext("Skip to content") == "Aller au contenu"
