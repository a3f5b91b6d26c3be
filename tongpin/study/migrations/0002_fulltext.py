"""The full-text index over ``SearchEntry``: database-specific, so written in SQL.

SQLite: an external-content FTS5 table (unicode61 splits the pre-tokenized text at spaces) kept
in step by triggers. PostgreSQL: a generated ``tsvector`` column ('simple' configuration over the
same tokens; title weighted A, words B, bigrams D) with a GIN index.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE study_search_fts USING fts5(
        title_tokens, body_tokens, grams,
        content='study_searchentry', content_rowid='id', tokenize='unicode61'
    )""",
    """CREATE TRIGGER study_searchentry_ai AFTER INSERT ON study_searchentry BEGIN
        INSERT INTO study_search_fts(rowid, title_tokens, body_tokens, grams)
        VALUES (new.id, new.title_tokens, new.body_tokens, new.grams);
    END""",
    """CREATE TRIGGER study_searchentry_ad AFTER DELETE ON study_searchentry BEGIN
        INSERT INTO study_search_fts(study_search_fts, rowid, title_tokens, body_tokens, grams)
        VALUES ('delete', old.id, old.title_tokens, old.body_tokens, old.grams);
    END""",
    """CREATE TRIGGER study_searchentry_au AFTER UPDATE ON study_searchentry BEGIN
        INSERT INTO study_search_fts(study_search_fts, rowid, title_tokens, body_tokens, grams)
        VALUES ('delete', old.id, old.title_tokens, old.body_tokens, old.grams);
        INSERT INTO study_search_fts(rowid, title_tokens, body_tokens, grams)
        VALUES (new.id, new.title_tokens, new.body_tokens, new.grams);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS study_searchentry_au",
    "DROP TRIGGER IF EXISTS study_searchentry_ad",
    "DROP TRIGGER IF EXISTS study_searchentry_ai",
    "DROP TABLE IF EXISTS study_search_fts",
]
POSTGRES_FORWARD = [
    """ALTER TABLE study_searchentry ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_tokens), 'A')
        || setweight(to_tsvector('simple'::regconfig, body_tokens), 'B')
        || setweight(to_tsvector('simple'::regconfig, grams), 'D')
    ) STORED""",
    "CREATE INDEX study_searchentry_vector ON study_searchentry USING GIN (vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS study_searchentry_vector",
    "ALTER TABLE study_searchentry DROP COLUMN IF EXISTS vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("study", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
