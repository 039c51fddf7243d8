"""`manage.py backup` and `restore`: the demo backed up, wiped, restored, and everything is back: every page,
member, membership, charter signature, document (and its file), image and discussion post. On SQLite here
and on PostgreSQL in CI's second leg (pg_dump and pg_restore, the server's own tools)."""

import io
import json
import tarfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from home import backups

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    """The demo, committed for real (pg_dump and SQLite's backup read the database from outside)."""
    from wagtail.models import Collection, Locale, Page

    from discussions.models import Space
    from members.roles import sync_role_permissions

    # What migrations create and an earlier transactional test's flush may have removed.
    for code in ("fr", "en"):
        Locale.objects.get_or_create(language_code=code)
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root"))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    sync_role_permissions()
    Space.objects.get_or_create(slug="questions-aux-pairs", defaults={"title": "Questions aux pairs", "position": 0})
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", stdout=StringIO())
    return tmp_path


def _wipe_everything_that_matters():
    from django.contrib.auth import get_user_model
    from wagtail.documents import get_document_model
    from wagtail.models import Page

    from discussions.models import Post
    from members.models import CharterSignature

    for document in get_document_model().objects.all():
        document.file.delete(save=False)
    get_document_model().objects.all().delete()
    Post.objects.all().delete()
    CharterSignature.objects.all().delete()
    Page.objects.filter(depth__gt=2).delete()
    get_user_model().objects.filter(is_superuser=False).delete()


def test_the_demo_comes_back_whole_after_a_wipe(demo):
    from django.contrib.auth import get_user_model
    from wagtail.documents import get_document_model

    from members.models import CharterSignature

    before = backups.counts()
    assert before["pages"] > 50 and before["charter_signatures"] > 10 and before["discussion_posts"] > 10
    out = StringIO()
    call_command("backup", output=str(demo / "backups"), stdout=out)
    archive = Path(out.getvalue().strip())
    assert archive.exists() and backups.read_manifest(archive)["counts"] == before

    _wipe_everything_that_matters()
    assert backups.counts() != before

    out = StringIO()
    call_command("restore", str(archive), yes=True, stdout=out)
    assert "every count matches" in out.getvalue()
    assert backups.counts() == before
    basic = get_user_model().objects.get(username="basic")
    assert basic.check_password("cercle-demo")
    assert CharterSignature.objects.filter(user=basic).exists()
    for document in get_document_model().objects.all():
        with document.file.open("rb") as handle:
            assert handle.read(1)  # the file is back on disk, not only its row


@pytest.fixture
def folder(transactional_db, settings, tmp_path):
    """A small club (what migrations left), for the refusals: they need no demo."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path


def test_a_file_that_is_no_backup_is_refused(folder):
    stray = folder / "notes.tar.gz"
    stray.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="not a Cercle backup"):
        call_command("restore", str(stray), yes=True, stdout=StringIO())


def test_a_backup_of_the_other_engine_is_refused_and_nothing_changes(folder):
    before = backups.counts()
    other = "postgresql" if backups.engine() == "sqlite" else "sqlite"
    manifest = json.dumps({"format": backups.FORMAT, "engine": other, "database": "x", "counts": {}}).encode()
    archive = folder / "other.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))
    with pytest.raises(CommandError, match="this site runs on"):
        call_command("restore", str(archive), yes=True, stdout=StringIO())
    assert backups.counts() == before


def test_restore_asks_before_replacing_anything(folder, monkeypatch):
    out = StringIO()
    call_command("backup", output=str(folder / "backups"), stdout=out)
    monkeypatch.setattr("builtins.input", lambda question: "non")
    before = backups.counts()
    with pytest.raises(CommandError, match="nothing restored"):
        call_command("restore", out.getvalue().strip(), stdout=StringIO())
    assert backups.counts() == before
