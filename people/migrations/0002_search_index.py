"""An index for the member search's substring matching (`people.search_index`).

SQLite: an FTS5 table with the trigram tokenizer over `Profile.search_text`, kept in step by
triggers. PostgreSQL: pg_trgm's GIN index, which `LIKE '%…%'` uses as it is. Other databases
keep the plain scan.
"""

from django.db import migrations

SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE people_profile_search USING fts5(
        search_text, content='people_profile', content_rowid='user_id', tokenize='trigram')""",
    """CREATE TRIGGER people_profile_search_insert AFTER INSERT ON people_profile BEGIN
        INSERT INTO people_profile_search(rowid, search_text) VALUES (new.user_id, new.search_text);
    END""",
    """CREATE TRIGGER people_profile_search_delete AFTER DELETE ON people_profile BEGIN
        INSERT INTO people_profile_search(people_profile_search, rowid, search_text)
        VALUES ('delete', old.user_id, old.search_text);
    END""",
    """CREATE TRIGGER people_profile_search_update AFTER UPDATE OF search_text ON people_profile BEGIN
        INSERT INTO people_profile_search(people_profile_search, rowid, search_text)
        VALUES ('delete', old.user_id, old.search_text);
        INSERT INTO people_profile_search(rowid, search_text) VALUES (new.user_id, new.search_text);
    END""",
    "INSERT INTO people_profile_search(people_profile_search) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS people_profile_search_update",
    "DROP TRIGGER IF EXISTS people_profile_search_delete",
    "DROP TRIGGER IF EXISTS people_profile_search_insert",
    "DROP TABLE IF EXISTS people_profile_search",
]
POSTGRES_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS people_profile_search_trgm ON people_profile USING gin (search_text gin_trgm_ops)",
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS people_profile_search_trgm"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
