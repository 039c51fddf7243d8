"""SQLite: the FTS5 index over the search documents, kept in step by triggers.

External content (the rows stay in `cercle_search_searchdocument`), `unicode61` with diacritics
removed, so "securite" matches "sécurité". On other databases this migration does nothing (the
PostgreSQL engine has its own columns).
"""

from django.db import migrations

DOCS = "cercle_search_searchdocument"
FTS = "cercle_search_fts"

CREATE = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(title, teaser, body, content='{DOCS}', content_rowid='id', "
    f"tokenize=\"unicode61 remove_diacritics 2\")",
    f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON {DOCS} BEGIN "
    f"INSERT INTO {FTS}(rowid, title, teaser, body) VALUES (new.id, new.title, new.teaser, new.body); END",
    f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON {DOCS} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, title, teaser, body) VALUES ('delete', old.id, old.title, old.teaser, old.body); END",
    f"CREATE TRIGGER {FTS}_au AFTER UPDATE OF title, teaser, body ON {DOCS} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, title, teaser, body) VALUES ('delete', old.id, old.title, old.teaser, old.body); "
    f"INSERT INTO {FTS}(rowid, title, teaser, body) VALUES (new.id, new.title, new.teaser, new.body); END",
]
DROP = [
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TABLE IF EXISTS {FTS}",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("cercle_search", "0001_initial")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
