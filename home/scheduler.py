"""The club's scheduled jobs, run by one long-lived process (`manage.py run_scheduler`) instead of cron.

Each job is a management command and a cron expression in the club's time zone (settings.CERCLE_SCHEDULE,
read with croniter). The process wakes each minute, runs every job whose time came since it last looked,
one after the other, and logs each start, end and failure: one job that fails never stops the others or
the process. Run exactly one scheduler for a club (the jobs are idempotent, but two schedulers would run
each of them twice); the web and worker processes may be many.
"""

import datetime
import logging
import time
import zoneinfo

from croniter import croniter
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

log = logging.getLogger(__name__)


def jobs():
    """[(command, cron expression)] from the settings."""
    return list(settings.CERCLE_SCHEDULE)


def due(since, until):
    """The commands whose time falls in (since, until], in the schedule's order, each once."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    since, until = since.astimezone(zone), until.astimezone(zone)
    found = []
    for command, expression in jobs():
        next_time = croniter(expression, since).get_next(datetime.datetime)
        if next_time <= until and command not in found:
            found.append(command)
    return found


def run(command, runner=call_command):
    started = time.monotonic()
    log.info("scheduler: %s starts", command)
    try:
        runner(command)
    except Exception:  # a job's failure is logged and the others still run
        log.exception("scheduler: %s failed", command)
        return False
    log.info("scheduler: %s done in %.1f s", command, time.monotonic() - started)
    return True


def run_due(since, until, runner=call_command):
    """Run what is due between the two instants; returns {command: succeeded}."""
    return {command: run(command, runner) for command in due(since, until)}


def loop(sleep=time.sleep, now=timezone.now, rounds=None):
    """Wake at each minute and run what came due since the last look (forever, or `rounds` times)."""
    last = now()
    done = 0
    while rounds is None or done < rounds:
        current = now()
        sleep(max(1.0, 60 - current.second - current.microsecond / 1e6))
        current = now()
        run_due(last, current)
        last = current
        done += 1
