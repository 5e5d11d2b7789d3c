"""The folded text that catalogue search looks in.

Title, code, abbreviation, block titles, competencies and job labels, folded (no accents,
lower case). Search matches every query word as the start of a word of this text (« soud »
finds « soudage »): PostgreSQL serves it from a GIN index on the generated column
Certification.search_vector, SQLite from an FTS5 table kept in step by triggers (migration 0004).
"""

from django.db.models import Func

from cqp.core.text import fold


class SearchWords(Func):
    """The words of a folded text as a PostgreSQL text-search vector; NULL on other databases, which scan instead."""

    function = "to_tsvector"
    template = "%(function)s('simple'::regconfig, %(expressions)s)"

    def as_sql(self, compiler, connection, **extra_context):
        if connection.vendor != "postgresql":
            return "NULL", []
        return super().as_sql(compiler, connection, **extra_context)


def build_search_text(*, code, title, abbreviation="", block_titles=(), competencies=(), job_labels=()) -> str:
    parts = [code, title, abbreviation, *block_titles, *job_labels, *competencies]
    return " ".join(folded for folded in (fold(p) for p in parts) if folded)


def certification_search_text(certification) -> str:
    """Build from the rows in the database (after an edit on the platform)."""
    blocks = list(certification.blocks.prefetch_related("competencies"))
    return build_search_text(
        code=certification.code,
        title=certification.title,
        abbreviation=certification.abbreviation,
        block_titles=[b.title for b in blocks],
        competencies=[c.text for b in blocks for c in b.competencies.all()],
        job_labels=[r.label for r in certification.rome.all()],
    )


# SQLite: an FTS5 index of search_text, kept in step by triggers. SQLite drops triggers when a
# migration rebuilds catalogue_certification, so this also runs after every migrate (apps.py).
SQLITE_WORD_TRIGGERS = (
    "catalogue_certification_words_ai",
    "catalogue_certification_words_ad",
    "catalogue_certification_words_au",
)
SQLITE_WORD_INDEX = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS catalogue_certification_words USING fts5("
    "search_text, content='catalogue_certification', content_rowid='id', tokenize='unicode61')",
    "DROP TRIGGER IF EXISTS catalogue_certification_words_ai",
    "DROP TRIGGER IF EXISTS catalogue_certification_words_ad",
    "DROP TRIGGER IF EXISTS catalogue_certification_words_au",
    "CREATE TRIGGER catalogue_certification_words_ai AFTER INSERT ON catalogue_certification BEGIN "
    "INSERT INTO catalogue_certification_words(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER catalogue_certification_words_ad AFTER DELETE ON catalogue_certification BEGIN "
    "INSERT INTO catalogue_certification_words(catalogue_certification_words, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER catalogue_certification_words_au AFTER UPDATE OF search_text ON catalogue_certification BEGIN "
    "INSERT INTO catalogue_certification_words(catalogue_certification_words, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO catalogue_certification_words(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO catalogue_certification_words(catalogue_certification_words) VALUES ('rebuild')",
]


def ensure_sqlite_word_index(connection) -> bool:
    """Create or repair the SQLite word index; True when it had to (re)build it. No-op elsewhere."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if "catalogue_certification" not in tables:
            return False
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'catalogue_certification'")
        present = {row[0] for row in cursor.fetchall()}
        if "catalogue_certification_words" in tables and present.issuperset(SQLITE_WORD_TRIGGERS):
            return False
        for sql in SQLITE_WORD_INDEX:
            cursor.execute(sql)
    return True
