"""`manage.py apply_retention [--dry-run] [--years N]`: the members' retention rule (GDPR), run daily.

Lists, then anonymises, the people whose last membership (their own, or their organisation's) ended more than
CERCLE_RETENTION_YEARS years ago, and those who never had one and have not used their account for as long
(members.privacy_services.retention_candidates says exactly who). `--dry-run` lists and changes nothing.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from members import privacy_services
from members.services import person_name


class Command(BaseCommand):
    help = "Anonymise les personnes dont la dernière adhésion a pris fin il y a plus de N ans (RGPD)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Liste seulement, sans rien changer.")
        parser.add_argument("--years", type=int, default=None, help="Années de conservation (CERCLE_RETENTION_YEARS).")

    def handle(self, *args, dry_run=False, years=None, **options):
        years = settings.CERCLE_RETENTION_YEARS if years is None else years
        if years < 1:
            raise CommandError("--years doit valoir au moins 1.")
        with translation.override(settings.LANGUAGE_CODE):
            cutoff = privacy_services.retention_cutoff(years)
            self.stdout.write(
                _("Retention: %(years)s years; memberships ended before %(cutoff)s.")
                % {"years": years, "cutoff": cutoff.isoformat()}
            )
            found = privacy_services.apply_retention(years=years, dry_run=dry_run)
            for person, last_end in found:
                ended = (
                    _("last membership ended on %(date)s") % {"date": last_end.isoformat()}
                    if last_end
                    else _("never a member, account created on %(date)s")
                    % {"date": person.date_joined.date().isoformat()}
                )
                # Names only in a dry run: the real run's output (a cron mail, a log file) must not keep them.
                who = f"#{person.pk} {person_name(person)} <{person.email}>" if dry_run else f"#{person.pk}"
                self.stdout.write(f"- {who}: {ended}")
            count = len(found)
            if dry_run:
                summary = ngettext(
                    "Dry run: %(count)d person would be anonymised; nothing was changed.",
                    "Dry run: %(count)d people would be anonymised; nothing was changed.",
                    count,
                )
            else:
                summary = ngettext("%(count)d person anonymised.", "%(count)d people anonymised.", count)
            self.stdout.write(summary % {"count": count})
