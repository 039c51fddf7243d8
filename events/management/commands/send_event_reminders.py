"""`manage.py send_event_reminders`: run daily or hourly from cron; reminds the participants of tomorrow's
events once each (events/reminders.py). `--dry-run` lists who would be reminded and sends nothing."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from events.reminders import send_reminders
from members.services import person_name


class Command(BaseCommand):
    help = "E-mails a reminder to the confirmed participants of the events that start tomorrow (once each)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List who would be reminded; send nothing.")

    def handle(self, *args, dry_run=False, **options):
        run = send_reminders(dry_run=dry_run)
        for registration in run.due:
            user = registration.user
            self.stdout.write(f"{registration.event.title} · {person_name(user)} <{user.email}>")
        for registration in run.skipped:
            self.stdout.write(
                _("Not reminded (no longer entitled to come): %(name)s, %(event)s")
                % {"name": person_name(registration.user), "event": registration.event.title}
            )
        if dry_run:
            self.stdout.write(_("Dry run: %(count)s reminders would be sent.") % {"count": len(run.due)})
        else:
            self.stdout.write(_("%(count)s reminders sent.") % {"count": len(run.due)})
