from django.core.management.base import BaseCommand, CommandError

from home import backups


class Command(BaseCommand):
    help = "Restore the database and the media folder from an archive of `manage.py backup` (home/backups.py)."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="replace the current data without asking")

    def handle(self, *args, archive, yes, **options):
        try:
            manifest = backups.read_manifest(archive)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        if not yes:
            question = f"Replace this site's database and media with the backup of {manifest['created_at']}? [y/N] "
            answer = input(question)
            if answer.strip().lower() not in ("y", "yes", "o", "oui"):
                raise CommandError("nothing restored")
        try:
            expected, _found = backups.restore(archive)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        for name, count in expected.items():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write("restored, and every count matches the backup's")
