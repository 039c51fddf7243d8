"""Backups of a Cercle: the database and the media folder in one archive, and the way back.

`manage.py backup` writes `cercle-backup-<time>.tar.gz` holding
- the database: SQLite through its online backup API (a consistent copy while the site runs and writes),
  or PostgreSQL through `pg_dump --format=custom`;
- the media folder (documents, images, their renditions);
- `manifest.json`: the engine, the date, and the number of pages, members, documents, images, charter
  signatures and discussion posts, which `restore` checks once it is done.

`manage.py restore <archive>` puts both back (PostgreSQL: `pg_restore --clean` in one transaction; SQLite: the
backup API again, into the live file) and refuses an archive of the other engine. Stop the web and worker
processes before restoring: what they write meanwhile is lost.
"""

import datetime
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection

FORMAT = 1


class BackupError(Exception):
    """A backup or a restore that cannot be done; the message says why."""


def engine():
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"no backup for the {vendor} database engine")
    return vendor


def counts():
    """What a restore must bring back, counted."""
    from django.contrib.auth import get_user_model
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page

    from discussions.models import Post
    from members.models import CharterSignature, Membership

    return {
        "pages": Page.objects.count(),
        "users": get_user_model().objects.count(),
        "memberships": Membership.objects.count(),
        "charter_signatures": CharterSignature.objects.count(),
        "documents": get_document_model().objects.count(),
        "images": get_image_model().objects.count(),
        "discussion_posts": Post.objects.count(),
    }


def _database():
    return settings.DATABASES["default"]


def _pg_env_and_args():
    db = _database()
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["--dbname", db["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [option, str(db[key])]
    return env, args


def _run(command, env=None):
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed") from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()[-500:]}") from error


def _dump_database(folder):
    if engine() == "sqlite":
        target = folder / "database.sqlite3"
        source = sqlite3.connect(_database()["NAME"])
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # consistent even while another process writes
        finally:
            copy.close()
            source.close()
        return target.name
    target = folder / "database.dump"
    env, args = _pg_env_and_args()
    _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], env=env)
    return target.name


def create(destination):
    """Write the archive into the folder `destination`; returns its path."""
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    archive = destination / f"cercle-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        database_file = _dump_database(work)
        manifest = {
            "format": FORMAT,
            "engine": engine(),
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "database": database_file,
            "counts": counts(),
        }
        with tarfile.open(archive, "w:gz") as tar:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(work / database_file, arcname=database_file)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                tar.add(media, arcname="media")
    return archive


def read_manifest(archive):
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile("manifest.json")
            manifest = json.load(member)
    except (OSError, KeyError, tarfile.TarError, ValueError) as error:
        raise BackupError(f"{archive} is not a Cercle backup: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is a backup of another format ({manifest.get('format')})")
    return manifest


def _restore_database(extracted, manifest):
    source = extracted / manifest["database"]
    connection.close()
    if manifest["engine"] == "sqlite":
        backup = sqlite3.connect(source)
        live = sqlite3.connect(_database()["NAME"])
        try:
            backup.backup(live)
        finally:
            live.close()
            backup.close()
        return
    env, args = _pg_env_and_args()
    _run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args, str(source)],
        env=env,
    )


def _restore_media(extracted):
    media = Path(settings.MEDIA_ROOT)
    saved = extracted / "media"
    if media.exists():
        shutil.rmtree(media)
    if saved.is_dir():
        shutil.copytree(saved, media)
    else:
        media.mkdir(parents=True, exist_ok=True)


def restore(archive):
    """Put the archive's database and media back; returns (expected, found) counts, which must match."""
    manifest = read_manifest(archive)
    if manifest["engine"] != engine():
        raise BackupError(f"this backup is of a {manifest['engine']} database, this site runs on {engine()}")
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work, filter="data")  # refuses absolute paths and links out of the folder
        _restore_database(work, manifest)
        _restore_media(work)
    found = counts()
    if found != manifest["counts"]:
        raise BackupError(f"restored, but the counts differ: expected {manifest['counts']}, found {found}")
    return manifest["counts"], found
