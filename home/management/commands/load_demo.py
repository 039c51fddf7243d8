"""`manage.py load_demo`: build the demo club, one loader per app, safe to run again."""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class DemoContext:
    """What the app loaders share: options, output, and the accounts to announce at the end."""

    def __init__(self, command, password, base_url="http://127.0.0.1:8000/"):
        self.command = command
        self.password = password
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"  # where the demo is served
        self.accounts = []  # (username, role description)

    def created(self, what):
        self.command.stdout.write(f"  + {what}")

    def kept(self, what):
        self.command.stdout.write(f"  = {what} (déjà là)")


class Command(BaseCommand):
    help = "Charge le club de démonstration (idempotent : une seconde exécution ne duplique rien)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default="cercle-demo",
            help="Mot de passe des comptes de démonstration (par défaut : cercle-demo).",
        )
        parser.add_argument("--base-url", default="http://127.0.0.1:8000/", help="Adresse annoncée à la fin.")

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "load_demo refuse de tourner avec DJANGO_ENV=production : "
                "des comptes au mot de passe connu ne doivent jamais atteindre un vrai site."
            )
        context = DemoContext(self, options["password"], options["base_url"])
        # Each of Cercle's apps may ship a `demo` module with a `load(context)` function; they run in
        # the order of settings.CERCLE_APPS, each in its own transaction.
        for app in settings.CERCLE_APPS:
            if find_spec(f"{app}.demo") is None:
                continue
            self.stdout.write(self.style.MIGRATE_HEADING(f"{app}"))
            with transaction.atomic():
                import_module(f"{app}.demo").load(context)
        self._index_for_search()

        self.stdout.write(self.style.SUCCESS(f"\nLe club de démonstration est prêt : {options['base_url']}"))
        if context.accounts:
            self.stdout.write(f"Comptes de démonstration (mot de passe « {context.password} ») :")
            for username, role in context.accounts:
                self.stdout.write(f"  {username:<10} {role}")
        self.stdout.write(f"Administration : {options['base_url'].rstrip('/')}/admin/")

    def _index_for_search(self):
        """Every demo page, profile and document found by the search, whatever order the loaders ran in."""
        from search import index
        from search.engines import database_engine

        written = index.store_all()
        engine = database_engine()
        if hasattr(engine, "rebuild"):
            engine.rebuild()
        self.stdout.write(f"  = {written} documents de recherche indexés")
