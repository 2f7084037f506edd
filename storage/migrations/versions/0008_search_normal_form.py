"""one normal form for full-text search on both backends: lower case, ё as е, Latin letters
without diacritics, ASCII punctuation a word boundary

PostgreSQL: a `newsdigest_search` configuration (`simple` behind `unaccent`, which folds ё and
Latin diacritics) and ASCII punctuation turned into spaces before parsing, so compounds such as
"Бухар-Жырау" or "gov.kz" are words apart as in FTS5; the generated search_vector is rebuilt
(the table is rewritten once). SQLite: FTS5's unicode61 already folds case and diacritics but
not ё; its triggers now index ё as е, and the articles holding ё are indexed again.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 09:30:00
"""

from collections.abc import Callable, Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# ASCII punctuation, SQL-quoted (' doubled), and as many spaces.
PUNCTUATION = "!\"#$%&''()*+,-./:;<=>?@[\\]^_`{|}~"
SPACES = " " * 32
ARTICLE_TEXT = "coalesce(title, '') || ' ' || coalesce(body, '')"
FOLDED = (
    f"to_tsvector('public.newsdigest_search', translate({ARTICLE_TEXT}, '{PUNCTUATION}', "
    f"'{SPACES}'))"
)
UNFOLDED = f"to_tsvector('simple', {ARTICLE_TEXT})"
WORD_TOKENS = (
    "asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, "
    "hword_numpart"
)
HAS_YO = "instr(title, 'ё') OR instr(title, 'Ё') OR instr(body, 'ё') OR instr(body, 'Ё')"


def _yo(column: str) -> str:
    return f"replace(replace({column}, 'ё', 'е'), 'Ё', 'е')"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_triggers(_yo)
        _sqlite_reindex(old=lambda column: column, new=_yo)
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public")
    op.execute(
        "CREATE TEXT SEARCH CONFIGURATION public.newsdigest_search (COPY = pg_catalog.simple)"
    )
    op.execute(
        f"ALTER TEXT SEARCH CONFIGURATION public.newsdigest_search ALTER MAPPING FOR "
        f"{WORD_TOKENS} WITH public.unaccent, pg_catalog.simple"
    )
    _postgres_vector(FOLDED)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_reindex(old=_yo, new=lambda column: column)
        _sqlite_triggers(lambda column: column)
        return
    _postgres_vector(UNFOLDED)
    op.execute("DROP TEXT SEARCH CONFIGURATION public.newsdigest_search")
    # The unaccent extension stays: something else may use it by now.


def _postgres_vector(expression: str) -> None:
    op.execute("ALTER TABLE article DROP COLUMN search_vector")  # and its index with it
    op.execute(
        f"ALTER TABLE article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
        f"({expression}) STORED"
    )
    op.execute("CREATE INDEX ix_article_search ON article USING gin (search_vector)")


def _sqlite_reindex(old: Callable[[str], str], new: Callable[[str], str]) -> None:
    """Index the articles holding ё again: out with old(text), in with new(text)."""
    op.execute(
        "INSERT INTO article_fts(article_fts, rowid, title, body) "
        f"SELECT 'delete', id, {old('title')}, {old('body')} FROM article WHERE {HAS_YO}"
    )
    op.execute(
        "INSERT INTO article_fts(rowid, title, body) "
        f"SELECT id, {new('title')}, {new('body')} FROM article WHERE {HAS_YO}"
    )


def _sqlite_triggers(fold: Callable[[str], str]) -> None:
    """The FTS5 triggers of 0001, indexing fold(column) instead of the column."""
    for trigger in ("article_fts_insert", "article_fts_delete", "article_fts_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    new = f"VALUES (new.id, {fold('new.title')}, {fold('new.body')})"
    old = f"VALUES ('delete', old.id, {fold('old.title')}, {fold('old.body')})"
    op.execute(
        "CREATE TRIGGER article_fts_insert AFTER INSERT ON article BEGIN "
        f"INSERT INTO article_fts(rowid, title, body) {new}; END"
    )
    op.execute(
        "CREATE TRIGGER article_fts_delete AFTER DELETE ON article BEGIN "
        f"INSERT INTO article_fts(article_fts, rowid, title, body) {old}; END"
    )
    op.execute(
        "CREATE TRIGGER article_fts_update AFTER UPDATE OF title, body ON article BEGIN "
        f"INSERT INTO article_fts(article_fts, rowid, title, body) {old}; "
        f"INSERT INTO article_fts(rowid, title, body) {new}; END"
    )
