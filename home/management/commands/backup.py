from django.core.management.base import BaseCommand, CommandError

from home import backups


class Command(BaseCommand):
    help = "Back up the database and the media folder into one archive (home/backups.py)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="backups", help="the folder to write the archive in")

    def handle(self, *args, output, **options):
        try:
            archive = backups.create(output)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(archive))
