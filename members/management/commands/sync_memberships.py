"""`manage.py sync_memberships`: run hourly (cron or a scheduler) so roles follow memberships."""

from django.core.management.base import BaseCommand

from members import services


class Command(BaseCommand):
    help = "Met les rôles en phase avec les adhésions (début, fin) et fait expirer les invitations échues."

    def handle(self, *args, **options):
        result = services.sync_memberships()
        self.stdout.write(
            f"{result['users_changed']} personne(s) aux rôles mis à jour, "
            f"{result['invitations_expired']} invitation(s) expirée(s)."
        )
