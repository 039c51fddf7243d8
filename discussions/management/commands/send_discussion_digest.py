"""`manage.py send_discussion_digest`: run once a day (cron or the scheduler) to send the daily summaries.

Each member with pending notifications gets one e-mail listing the posts, grouped by thread, that they may
still read; the rows are then marked sent, so a second run sends nothing (discussions/notifications.py).
`--dry-run` counts what would be sent and changes nothing.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from discussions.notifications import send_summaries


class Command(BaseCommand):
    help = "Sends the daily summary of the discussions to the members who have notifications waiting."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be sent; send and change nothing.")

    def handle(self, *args, dry_run=False, **options):
        mails, told = send_summaries(dry_run=dry_run)
        if dry_run:
            message = _("Dry run: %(mails)d summary e-mail(s) would be sent, telling %(told)d message(s).")
        else:
            message = _("%(mails)d summary e-mail(s) sent, telling %(told)d message(s).")
        self.stdout.write(self.style.SUCCESS(message % {"mails": mails, "told": told}))
