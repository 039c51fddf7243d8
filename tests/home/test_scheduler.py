"""The scheduler process: which jobs come due when, one failure stops nothing, and its command."""

import datetime
import zoneinfo
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from home import scheduler

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def at(day, hour, minute):
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=BRUSSELS)


def test_each_job_comes_due_at_its_time_in_the_club_s_time_zone():
    # Monday 7 December 2026, 06:59 → 07:00 in Brussels: the hourly membership sync and both digests.
    assert scheduler.due(at(7, 6, 59), at(7, 7, 0)) == [
        "sync_memberships",
        "send_discussion_digest",
        "send_techwatch_digest",
    ]
    # Tuesday, same minute: no weekly digest.
    assert scheduler.due(at(8, 6, 59), at(8, 7, 0)) == ["sync_memberships", "send_discussion_digest"]
    assert scheduler.due(at(8, 3, 29), at(8, 3, 30)) == ["send_event_reminders", "apply_retention"]
    assert scheduler.due(at(8, 3, 31), at(8, 3, 59)) == []
    # The same instant given in UTC is the same answer.
    utc = datetime.UTC
    assert scheduler.due(at(8, 3, 44).astimezone(utc), at(8, 4, 0).astimezone(utc)) == ["sync_memberships"]


def test_after_downtime_each_missed_job_runs_once():
    assert scheduler.due(at(8, 0, 0), at(8, 12, 0)) == [
        "sync_memberships",
        "poll_sources",
        "send_event_reminders",
        "send_discussion_digest",
        "apply_retention",
    ]


def test_a_failing_job_is_logged_and_the_others_still_run(caplog):
    ran = []

    def runner(command):
        ran.append(command)
        if command == "sync_memberships":
            raise RuntimeError("the database went away")

    results = scheduler.run_due(at(7, 6, 59), at(7, 7, 0), runner=runner)
    assert ran == ["sync_memberships", "send_discussion_digest", "send_techwatch_digest"]
    assert results == {"sync_memberships": False, "send_discussion_digest": True, "send_techwatch_digest": True}
    assert "sync_memberships failed" in caplog.text


def test_the_loop_wakes_each_minute_and_runs_what_came_due(monkeypatch):
    clock = iter([at(8, 3, 29), at(8, 3, 29), at(8, 3, 30), at(8, 3, 30), at(8, 3, 31)])
    naps, ran = [], []
    monkeypatch.setattr(scheduler, "run", lambda command, runner=None: ran.append(command) or True)
    scheduler.loop(sleep=naps.append, now=lambda: next(clock), rounds=2)
    assert ran == ["send_event_reminders", "apply_retention"]
    assert len(naps) == 2 and all(1 <= nap <= 60 for nap in naps)


@pytest.mark.django_db
def test_the_command_lists_the_jobs_and_catches_up_after_downtime(settings):
    out = StringIO()
    call_command("run_scheduler", list=True, stdout=out)
    assert "send_discussion_digest" in out.getvalue() and "0 7 * * *" in out.getvalue()
    settings.CERCLE_SCHEDULE = [("check", "* * * * *")]  # Django's own `check`, harmless
    out = StringIO()
    since = (datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)).isoformat()
    call_command("run_scheduler", since=since, stdout=out)
    assert out.getvalue().strip() == "check: ok"
    with pytest.raises(CommandError, match="ISO"):
        call_command("run_scheduler", since="hier", stdout=StringIO())
