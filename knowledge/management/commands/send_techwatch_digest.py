"""`manage.py send_techwatch_digest`: run weekly from cron (on Monday morning) to send last week's digest.

Running it twice, or again after an interruption, sends nobody the same week twice (knowledge/digest.py).
`--week` sends another week, for instance one that a failed run left unfinished.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from knowledge.digest import send_digest, week_start_of


def _day(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(_("Not a date: %(value)s (expected YYYY-MM-DD).") % {"value": value}) from error


class Command(BaseCommand):
    help = (
        "Sends the weekly digest of the technology watch to the members who asked for it "
        "(by default the last complete week, Monday to Sunday)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--week",
            metavar="YYYY-MM-DD",
            help="Any day of the week to send (its Monday is what counts).",
        )

    def handle(self, *args, week=None, **options):
        week_start = week_start_of(_day(week)) if week else None
        if week_start is not None and week_start + datetime.timedelta(days=7) > timezone.localdate():
            self.stderr.write(
                self.style.WARNING(
                    _("The week of %(date)s is not over: articles published after this run will not be sent.")
                    % {"date": date_format(week_start, "DATE_FORMAT")}
                )
            )
        result = send_digest(week_start)
        week_text = {
            "start": date_format(result.week_start, "DATE_FORMAT"),
            "end": date_format(result.week_end, "DATE_FORMAT"),
        }
        if result.already_finished:
            self.stdout.write(
                _("The digest of the week from %(start)s to %(end)s was already sent: nothing to do.") % week_text
            )
        elif not result.article_count:
            self.stdout.write(
                _("No article was published in the week from %(start)s to %(end)s: no digest sent.") % week_text
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Digest of the week from %(start)s to %(end)s: %(articles)d article(s), "
                        "%(sent)d e-mail(s) sent (%(teasers)d with teasers and the invitation to upgrade), "
                        "%(received)d already received, %(not_members)d subscriber(s) without a valid membership."
                    )
                    % {
                        **week_text,
                        "articles": result.article_count,
                        "sent": result.sent,
                        "teasers": result.with_teasers,
                        "received": result.already_received,
                        "not_members": result.not_members,
                    }
                )
            )
