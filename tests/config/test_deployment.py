"""What a deployment relies on: /healthz, request ids in responses and logs, the request size limit,
gunicorn's settings file."""

import datetime
import json
import logging
import runpy
from pathlib import Path

import pytest
from django.utils import timezone

from config.request_id import RequestIdFilter


def test_healthz_says_every_check_holds(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "tasks": "ok (immediate)"}}
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_503_naming_what_fails(client, db, settings):
    # A shared cache that stores nothing (Django resets its caches when the setting changes).
    settings.CACHES = {**settings.CACHES, "shared": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "error"
    assert response.json()["checks"]["database"] == "ok"


def test_healthz_calls_a_queue_nobody_works_stuck(client, db, settings):
    from django_tasks_db.models import DBTaskResult

    from members.tasks import send_email

    # Production's queue (django-tasks resets its backends when the setting changes), and no worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert client.get("/healthz").status_code == 200
    send_email.enqueue("s", ["a@example.org"], "t")
    assert DBTaskResult.objects.count() == 1
    assert client.get("/healthz").status_code == 200  # just queued: the worker has time
    waited = datetime.timedelta(minutes=settings.CERCLE_HEALTH_TASK_DELAY_MINUTES + 1)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - waited)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["checks"]["tasks"] == "error"


def test_healthz_is_get_only(client, db):
    assert client.post("/healthz").status_code == 405


def test_every_response_carries_a_request_id_and_keeps_a_sane_one_from_the_proxy(client, db):
    fresh = client.get("/healthz")["X-Request-ID"]
    assert len(fresh) == 32
    assert client.get("/healthz", HTTP_X_REQUEST_ID="proxy-1234-abcd")["X-Request-ID"] == "proxy-1234-abcd"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID='<script>"x')["X-Request-ID"]
    assert forged != '<script>"x' and len(forged) == 32


def test_a_log_line_of_a_request_carries_its_id_in_json(client, db):
    from pythonjsonlogger.json import JsonFormatter

    lines = []

    class Keep(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Keep()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter("%(levelname)s %(name)s %(message)s %(request_id)s"))
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get("/adresse-qui-n-existe-pas/", HTTP_X_REQUEST_ID="trace-0001-abcd")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404
    records = [json.loads(line) for line in lines]
    assert records and records[-1]["request_id"] == "trace-0001-abcd"


@pytest.mark.parametrize("megabytes, status", [(1, 403), (61, 413)])
def test_a_body_larger_than_any_form_takes_is_refused_before_it_is_read(client, db, megabytes, status):
    response = client.generic(
        "POST",
        "/compte/connexion/",
        b"x",
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(megabytes * 1024 * 1024),
    )
    # 403: a small body reaches the view, which refuses it for its missing CSRF token.
    assert response.status_code in ({status} if status == 413 else {200, 400, 403})


def test_gunicorn_takes_its_workers_from_the_machine_or_the_environment(monkeypatch):
    path = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    config = runpy.run_path(str(path))
    assert 1 <= config["workers"] <= 12
    assert '"request_id"' in config["access_log_format"]
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    assert runpy.run_path(str(path))["workers"] == 3
