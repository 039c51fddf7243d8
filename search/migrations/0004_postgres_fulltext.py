"""PostgreSQL: weighted tsvector columns over the search documents, kept by a trigger, under a GIN index.

Two text search configurations, both folding accents with `unaccent`:
- `cercle_fr`: French snowball stems ("développement" and "développer" → "developp"), without a stop
  word list, so that every word a person may type is in the index (as on SQLite);
- `cercle_fold`: the words as they are, folded ("sécurité" → "securite"), so that the light stems
  of `search.query`, matched as prefixes, find a word being typed ("numériq" → "numérique") that the
  snowball stem ("numer") would not.
Title and teaser are held both ways; the body, much longer, by its stems only. Weighted:
`search_teaser` is what anyone who may *know* a document may match (title A, teaser B); `search_all`
adds the body (C), for those who may *read* it. The trigger fills them
in the same transaction as the row; `PostgresEngine.rebuild()` recomputes them by setting them to NULL.

The trigger names no column (`BEFORE INSERT OR UPDATE`, not `UPDATE OF title, ...`) so that a later
migration may still alter those columns' types. On other databases this migration does nothing (the
SQLite engine has its FTS5 table, 0002).
"""

from django.db import migrations

DOCS = "cercle_search_searchdocument"
# The body is cut before it is indexed: a tsvector may not exceed 1 MB, and positions stop at 16,383.
BODY_LIMIT = 200_000
GAP = "cercle0gap"  # a lexeme no real text holds

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH DICTIONARY cercle_french_stem (TEMPLATE = snowball, Language = french)",
    "CREATE TEXT SEARCH CONFIGURATION cercle_fr (COPY = french)",
    "ALTER TEXT SEARCH CONFIGURATION cercle_fr ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, "
    "word, hword, hword_part WITH unaccent, cercle_french_stem",
    "CREATE TEXT SEARCH CONFIGURATION cercle_fold (COPY = simple)",
    "ALTER TEXT SEARCH CONFIGURATION cercle_fold ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, "
    "word, hword, hword_part WITH unaccent, simple",
    # One field's lexemes, stemmed then folded, with its weight. A gap marker (deleted once the fields
    # are joined) follows each half, so that a phrase cannot run from one half or field into the next.
    "CREATE FUNCTION cercle_search_vector(content text, weight \"char\") RETURNS tsvector "
    "LANGUAGE sql STABLE PARALLEL SAFE AS $$ "
    f"SELECT setweight(to_tsvector('cercle_fr', left(coalesce(content, ''), {BODY_LIMIT})) || '{GAP}:1'::tsvector "
    f"|| to_tsvector('cercle_fold', left(coalesce(content, ''), {BODY_LIMIT})) || '{GAP}:1'::tsvector, weight) $$",
    "CREATE FUNCTION cercle_search_vectors() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "DECLARE known tsvector; "
    "BEGIN "
    "  IF TG_OP = 'UPDATE' AND NEW.search_all IS NOT NULL AND NEW.search_teaser IS NOT NULL "
    "     AND NEW.title IS NOT DISTINCT FROM OLD.title AND NEW.teaser IS NOT DISTINCT FROM OLD.teaser "
    "     AND NEW.body IS NOT DISTINCT FROM OLD.body THEN "
    "    RETURN NEW; "
    "  END IF; "
    "  known := cercle_search_vector(NEW.title, 'A') || cercle_search_vector(NEW.teaser, 'B'); "
    f"  NEW.search_teaser := ts_delete(known, '{GAP}'); "
    # The body holds its stems only: its folded words would double the largest vector for the sake of
    # words being typed, which autocomplete looks for in titles.
    f"  NEW.search_all := ts_delete(known || setweight(to_tsvector('cercle_fr', "
    f"left(coalesce(NEW.body, ''), {BODY_LIMIT})), 'C'), '{GAP}'); "
    "  RETURN NEW; "
    "END $$",
    f"ALTER TABLE {DOCS} ADD COLUMN search_teaser tsvector, ADD COLUMN search_all tsvector",
    f"CREATE TRIGGER cercle_search_vectors BEFORE INSERT OR UPDATE ON {DOCS} "
    "FOR EACH ROW EXECUTE FUNCTION cercle_search_vectors()",
    f"UPDATE {DOCS} SET search_all = NULL",  # rows written before this migration
    # search_all alone is looked up: every match is in it; search_teaser is read on the rows found, to
    # check a document the viewer may not read (the engine's query), so it needs no index of its own.
    f"CREATE INDEX cercle_search_all_gin ON {DOCS} USING gin (search_all)",
]
DROP = [
    "DROP INDEX IF EXISTS cercle_search_all_gin",
    "DROP INDEX IF EXISTS cercle_search_teaser_gin",
    f"DROP TRIGGER IF EXISTS cercle_search_vectors ON {DOCS}",
    f"ALTER TABLE {DOCS} DROP COLUMN IF EXISTS search_all, DROP COLUMN IF EXISTS search_teaser",
    "DROP FUNCTION IF EXISTS cercle_search_vectors()",
    "DROP FUNCTION IF EXISTS cercle_search_vector(text, \"char\")",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS cercle_fold",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS cercle_fr",
    "DROP TEXT SEARCH DICTIONARY IF EXISTS cercle_french_stem",
    # unaccent stays: another part of the database may have come to use it.
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("cercle_search", "0003_extracted_text")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
