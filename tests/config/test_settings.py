"""The settings module reads the environment: embedded default, PostgreSQL switch, production profile."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE']); print(s.CACHES['default']['BACKEND']); "
    "print(s.EMAIL_BACKEND); print(s.WAGTAILSEARCH_BACKENDS['default']['BACKEND']); "
    "print(s.DEBUG); print(s.LANGUAGE_CODE, s.TIME_ZONE); print(s.WAGTAILDOCS_SERVE_METHOD); "
    "print(s.TASKS['default']['BACKEND']); print(s.SESSION_ENGINE)"
)


def run(code_or_args, **env):
    """Run Python in a clean environment: only PATH, HOME and what the test sets."""
    clean = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    clean.update(env)
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run([sys.executable, *args], cwd=BASE_DIR, env=clean, capture_output=True, text=True, timeout=120)


def test_embedded_default_needs_no_environment():
    result = run(PRINT_SETTINGS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:9] == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.mail.backends.console.EmailBackend",
        "wagtail.search.backends.database",
        "True",
        "fr Europe/Brussels",
        "serve_view",
        "django_tasks.backends.immediate.ImmediateBackend",
        # Sessions are read from the shared cache (files on disk) and written through to the database.
        "django.contrib.sessions.backends.cached_db",
    ]


def test_environment_switches_on_postgresql_redis_elasticsearch_and_smtp():
    result = run(
        PRINT_SETTINGS,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/cercle",
        REDIS_URL="redis://127.0.0.1:6379/1",
        ELASTICSEARCH_URL="http://127.0.0.1:9200",
        EMAIL_URL="smtp://mailer:secret@mail.example.org:587",
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert lines[0] == "django.db.backends.postgresql"
    assert lines[1] == "django.core.cache.backends.redis.RedisCache"
    assert lines[2] == "django.core.mail.backends.smtp.EmailBackend"
    assert lines[3] == "wagtail.search.backends.elasticsearch8"
    # With Redis, sessions are read from the cache and written through to the database.
    assert lines[8] == "django.contrib.sessions.backends.cached_db"


def test_production_refuses_to_start_without_a_secret_key():
    result = run(PRINT_SETTINGS, DJANGO_ENV="production", ALLOWED_HOSTS="cercle.example")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_an_unknown_profile_name():
    result = run(PRINT_SETTINGS, DJANGO_ENV="prod")
    assert result.returncode != 0
    assert "DJANGO_ENV" in result.stderr


@pytest.mark.parametrize("database_url", [None])
def test_production_profile_passes_check_deploy_without_warnings(database_url, tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_ENV="production",
        SECRET_KEY="k" * 20 + "-a-long-and-random-production-secret-4f9c2b7e81d0a6",
        ALLOWED_HOSTS="cercle.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert "DEBUG" not in result.stderr
