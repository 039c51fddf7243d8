"""`GET /healthz`: whether this process can serve the club, for a load balancer, systemd or a monitor.

It checks what a page needs: the database answers, the cache stores and gives back, and the task queue
is being worked (with the database queue of production, no task ready for longer than
CERCLE_HEALTH_TASK_DELAY_MINUTES, which would mean the worker is down; the immediate backend runs tasks
in the request and has no queue). 200 with each check's word when all hold, 503 otherwise. It says
nothing about members or content, needs no login and is never cached.
"""

import datetime
import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

log = logging.getLogger(__name__)


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_cache():
    """Every cache: the default one (pages, fragments) and the shared one (sessions, entitlement stamps)."""
    for alias in settings.CACHES:
        store = caches[alias]
        key, value = f"cercle:healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
        store.set(key, value, 10)
        answer = store.get(key)
        store.delete(key)
        if answer != value:
            raise RuntimeError(f"the cache {alias!r} did not give back what it was given")
    return "ok"


def check_tasks():
    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db."):
        return "ok (immediate)"
    from django_tasks_db.models import DBTaskResult

    late = timezone.now() - datetime.timedelta(minutes=settings.CERCLE_HEALTH_TASK_DELAY_MINUTES)
    if DBTaskResult.objects.ready().filter(enqueued_at__lt=late).exists():
        raise RuntimeError("tasks wait longer than they should: is `manage.py db_worker` running?")
    return "ok"


CHECKS = {"database": check_database, "cache": check_cache, "tasks": check_tasks}


@never_cache
@require_GET
def healthz(request):
    results, healthy = {}, True
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as error:  # every failure is an answer here, never a 500
            log.error("healthz: %s failed: %s", name, error)
            results[name] = "error"
            healthy = False
    return JsonResponse({"status": "ok" if healthy else "error", "checks": results}, status=200 if healthy else 503)
