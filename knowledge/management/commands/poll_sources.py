"""`manage.py poll_sources`: fetch the watch's feeds and file their new items into the editors' inbox.

Run it from cron (or enqueue `knowledge.sources.poll_sources_task`) every hour or so. A failing source is
reported on stderr and marked failing in the admin; the command still exits 0, so that one broken feed does
not make the scheduler cry wolf every hour.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from knowledge import sources
from knowledge.models import WatchSource


class Command(BaseCommand):
    help = "Polls the technology watch's sources (RSS and Atom feeds) and files their new items into the inbox."

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            action="append",
            type=int,
            dest="source_ids",
            metavar="ID",
            help="Poll only this source, active or not (repeat the option for several).",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=sources.DEFAULT_TIMEOUT,
            metavar="SECONDS",
            help=f"Seconds to wait for each server (default {sources.DEFAULT_TIMEOUT}).",
        )

    def handle(self, *args, source_ids=None, timeout=sources.DEFAULT_TIMEOUT, **options):
        if timeout <= 0:
            raise CommandError(_("The timeout must be a positive number of seconds."))
        if source_ids:
            selected = WatchSource.objects.filter(pk__in=source_ids)
            missing = sorted(set(source_ids) - set(selected.values_list("pk", flat=True)))
            if missing:
                raise CommandError(_("No source with the id %(ids)s.") % {"ids": ", ".join(str(pk) for pk in missing)})
        else:
            selected = WatchSource.objects.filter(active=True)

        results = sources.poll_sources(selected, timeout=timeout)
        for result in results:
            name = f"{result.source.name} (#{result.source.pk})"
            if not result.ok:
                self.stderr.write(_("%(source)s: FAILING, %(error)s") % {"source": name, "error": result.error})
            elif result.not_modified:
                self.stdout.write(_("%(source)s: not modified since the last poll.") % {"source": name})
            else:
                self.stdout.write(
                    ngettext("%(source)s: %(count)d new item.", "%(source)s: %(count)d new items.", result.new_items)
                    % {"source": name, "count": result.new_items}
                )
        self.stdout.write(
            _("Sources polled: %(polled)d; new items: %(new)d; failing: %(failing)d.")
            % {
                "polled": len(results),
                "new": sum(result.new_items for result in results),
                "failing": sum(1 for result in results if not result.ok),
            }
        )
