"""a second, small full-text index of the newest articles, so common words stay fast

FTS5 answers a prefix query ("караганд"*) by merging the doclists of every matching term over
the whole table before it can return the newest match, so a word found in most of a million
articles cost 40–100 ms before a single row came back, and ranking doubled it. The same query
over the newest ~100,000 articles costs a tenth of that, and for the newest matches it is the
same answer whenever they hold enough matches (`storage.queries.search` falls back to the
whole index when they do not).

`search_recent_bound.after_id`: `article_fts_recent` indexes exactly the articles whose id is
above it (triggers keep that true on insert, update and delete; housekeeping raises the bound
and takes the older articles out, `storage.queries.search.trim_recent`). SQLite only:
PostgreSQL's GIN index finds a prefix's newest matches without merging its whole doclist.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 13:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# How many of the newest article ids the small index starts with (as
# storage.queries.search.RECENT_ARTICLES, frozen here as migrations are).
RECENT_ARTICLES = 100_000
# No row reads as 0 (everything indexed), as `storage.queries.search.recent_bound` reads it.
ABOVE_BOUND = "coalesce((SELECT after_id FROM search_recent_bound), 0)"


def _yo(column: str) -> str:
    """The ё folding of migration 0008's triggers: both indexes hold one normal form."""
    return f"replace(replace({column}, 'ё', 'е'), 'Ё', 'е')"


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE TABLE search_recent_bound (id INTEGER PRIMARY KEY CHECK (id = 1), "
        "after_id INTEGER NOT NULL)"
    )
    op.execute(
        "INSERT INTO search_recent_bound (id, after_id) "
        f"SELECT 1, max(coalesce(max(id), 0) - {RECENT_ARTICLES}, 0) FROM article"
    )
    op.execute(
        "CREATE VIRTUAL TABLE article_fts_recent USING fts5(title, body, content='article', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
    )
    new = f"VALUES (new.id, {_yo('new.title')}, {_yo('new.body')})"
    old = f"VALUES ('delete', old.id, {_yo('old.title')}, {_yo('old.body')})"
    op.execute(
        "CREATE TRIGGER article_fts_recent_insert AFTER INSERT ON article "
        f"WHEN new.id > {ABOVE_BOUND} BEGIN "
        f"INSERT INTO article_fts_recent(rowid, title, body) {new}; END"
    )
    op.execute(
        "CREATE TRIGGER article_fts_recent_delete AFTER DELETE ON article "
        f"WHEN old.id > {ABOVE_BOUND} BEGIN "
        f"INSERT INTO article_fts_recent(article_fts_recent, rowid, title, body) {old}; END"
    )
    op.execute(
        "CREATE TRIGGER article_fts_recent_update AFTER UPDATE OF title, body ON article "
        f"WHEN old.id > {ABOVE_BOUND} BEGIN "
        f"INSERT INTO article_fts_recent(article_fts_recent, rowid, title, body) {old}; "
        f"INSERT INTO article_fts_recent(rowid, title, body) {new}; END"
    )
    op.execute(
        "INSERT INTO article_fts_recent(rowid, title, body) "
        f"SELECT id, {_yo('title')}, {_yo('body')} FROM article WHERE id > {ABOVE_BOUND}"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS article_fts_recent_{trigger}")
    op.execute("DROP TABLE IF EXISTS article_fts_recent")
    op.execute("DROP TABLE search_recent_bound")
