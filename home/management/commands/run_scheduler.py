import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from home import scheduler


class Command(BaseCommand):
    help = "Run the club's scheduled jobs (settings.CERCLE_SCHEDULE) for as long as the process lives."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="show the jobs and their next time, then stop")
        parser.add_argument(
            "--since", help="run once what was due since this ISO time (e.g. after downtime), then stop"
        )

    def handle(self, *args, list=False, since=None, **options):
        if list:
            from croniter import croniter

            now = timezone.localtime()
            for command, expression in scheduler.jobs():
                following = croniter(expression, now).get_next(datetime.datetime)
                self.stdout.write(f"{command:28} {expression:15} next {following:%Y-%m-%d %H:%M}")
            return
        if since:
            try:
                start = datetime.datetime.fromisoformat(since)
            except ValueError as error:
                raise CommandError(f"--since takes an ISO date and time: {error}") from error
            if timezone.is_naive(start):
                start = timezone.make_aware(start)
            for command, succeeded in scheduler.run_due(start, timezone.now()).items():
                self.stdout.write(f"{command}: {'ok' if succeeded else 'failed'}")
            return
        self.stdout.write("scheduler running; Ctrl-C stops it")
        try:
            scheduler.loop()
        except KeyboardInterrupt:
            self.stdout.write("scheduler stopped")
