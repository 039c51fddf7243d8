"""`manage.py search_index rebuild`: every search document anew, without interrupting searches."""

import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Rebuild Cercle's search documents and the engine's index (searches keep answering meanwhile)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild"])
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (logs, cron).")

    def handle(self, action, no_progress=False, **options):
        from search import index, registry
        from search.documents import extract_missing
        from search.engines import database_engine, external_engine

        # Documents uploaded before their text was read get it now, so that readers find them by it.
        extract_missing()

        total = sum(indexer.queryset().count() for indexer in registry.indexers())
        done = [0]
        show = not no_progress and self.stdout.isatty() if hasattr(self.stdout, "isatty") else False

        def progress(kind):
            done[0] += 1
            if show and (done[0] % 50 == 0 or done[0] == total):
                width = 40
                filled = int(width * done[0] / max(total, 1))
                sys.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done[0]}/{total} {kind:<20}")
                sys.stdout.flush()

        written = index.store_all(progress=progress)
        if show:
            sys.stdout.write("\n")
        engine = database_engine()
        if hasattr(engine, "rebuild"):
            engine.rebuild()
        external = external_engine()
        if external is not None:
            external.rebuild(progress=None)
        self.stdout.write(self.style.SUCCESS(f"{written} search documents indexed."))
