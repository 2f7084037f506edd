"""`newsdigest db copy --to URL`: moving a SQLite database into an empty one, as an operator does.

The command runs as a real process. The source is a SQLite file filled by `newsdigest ingest`
plus chats, subscriptions, a ledger row and the lease written directly; the target is a new
SQLite file, and PostgreSQL when TEST_POSTGRES_URL names one. The copy's digest must equal the
source's digest, and on PostgreSQL the next article must get the next id.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from storage.copy import tables
from storage.engine import create_database
from storage.models import Article
from tests.conftest import POSTGRES_URL, _reset_postgres
from tests.test_cli import SEEDS, run_cli

PASSWORD = "S3cretCopyPass"
DIGEST = ("digest", "--region", "karaganda", "--since", "2025-01-11", "--json")
DIGEST_AT = ("--now", "2025-01-14T09:00")


def _env(url: str) -> dict[str, str]:
    return {"DATABASE_URL": url}


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A SQLite database with articles, a chat and its interests, a digest in the ledger."""
    database = tmp_path / "source.db"
    url = f"sqlite+aiosqlite:///{database}"
    ingest = run_cli("ingest", str(SEEDS), "--now", "2025-01-14T08:00", env=_env(url))
    assert ingest.returncode == 0, ingest.stderr
    with closing(sqlite3.connect(database)) as connection, connection:
        connection.execute(
            "INSERT INTO chat (id, type, title, language, timezone, digest_time, frequency, "
            "paused, blocked, no_news_note, official_only, alerts, created_at, updated_at) "
            "VALUES (-1001234567890123, 'supergroup', 'Караганда', 'ru', 'Asia/Almaty', "
            "'08:00', 'daily', 0, 0, 0, 0, 1, '2025-01-14 03:00:00', '2025-01-14 03:00:00')"
        )
        connection.execute(
            "INSERT INTO subscription (chat_id, kind, value, created_at) "
            "VALUES (-1001234567890123, 'region', 'karaganda', '2025-01-14 03:00:00')"
        )
        connection.execute(
            "INSERT INTO delivery (chat_id, due_at, kind, status, window_start_id, "
            "window_end_id, item_article_ids, parts_total, message_ids, payload, attempts, "
            "possible_repeats, claimed_at) VALUES (-1001234567890123, '2025-01-14 03:00:00', "
            "'scheduled', 'sent', 0, 3, '[1, 2, 3]', 1, '[77]', NULL, 1, 0, "
            "'2025-01-14 03:00:01')"
        )
        connection.execute(
            "INSERT INTO lease (name, holder, expires_at) "
            "VALUES ('sender', 'host:1', '2025-01-14 03:01:00')"
        )
    return database


@pytest.fixture(params=["sqlite", "postgresql"])
async def target(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty target database URL; PostgreSQL's carries a password (trust auth ignores it)
    that must never be printed."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'target.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip("TEST_POSTGRES_URL is not set (no PostgreSQL to test on)")
    await _reset_postgres(POSTGRES_URL)
    yield make_url(POSTGRES_URL).set(password=PASSWORD).render_as_string(hide_password=False)
    await _reset_postgres(POSTGRES_URL)


def _sqlite_counts(database: Path) -> dict[str, int]:
    with closing(sqlite3.connect(database)) as connection:
        return {
            table.name: connection.execute(f"SELECT count(*) FROM {table.name}").fetchone()[0]  # noqa: S608
            for table in tables()
        }


async def _counts(url: str) -> dict[str, int]:
    database = create_database(url)
    try:
        async with database.read() as session:
            return {
                table.name: int(
                    (await session.execute(select(func.count()).select_from(table))).scalar_one()
                )
                for table in tables()
            }
    finally:
        await database.dispose()


async def test_a_copy_holds_every_row_and_gives_the_same_digest(source: Path, target: str) -> None:
    source_url = f"sqlite+aiosqlite:///{source}"
    copied = run_cli("db", "copy", "--to", target, env=_env(source_url))
    assert copied.returncode == 0, copied.stderr
    assert PASSWORD not in copied.stdout + copied.stderr
    assert "counts verified" in copied.stdout
    before = _sqlite_counts(source)
    assert before["article"] > 0 and before["delivery"] == 1 and before["lease"] == 1
    assert await _counts(target) == before
    for table, rows in before.items():
        assert f"{table}: {rows:,} rows" in copied.stdout

    digests = [run_cli(*DIGEST, *DIGEST_AT, env=_env(url)) for url in (source_url, target)]
    assert all(result.returncode == 0 for result in digests), [r.stderr for r in digests]
    assert json.loads(digests[0].stdout) == json.loads(digests[1].stdout) != []

    database = create_database(target)
    try:
        async with database.read() as session:
            ledger = await session.execute(
                text("SELECT payload IS NULL, item_article_ids FROM delivery")
            )
            # SQLite hands JSON back as text, PostgreSQL's json column as a list.
            rows = [
                (bool(done), ids if isinstance(ids, list) else json.loads(ids))
                for done, ids in ledger
            ]
            assert rows == [(True, [1, 2, 3])]
            chat = (await session.execute(text("SELECT id, alerts FROM chat"))).one()
            assert tuple(chat) == (-1001234567890123, True)
        async with database.write() as session:
            highest = (await session.execute(select(func.max(Article.id)))).scalar_one()
            newest = await _newest_article(
                session, title="Next", body="The first article after the move.", language="en"
            )
            await session.flush()
            assert highest is not None and newest.id == highest + 1
    finally:
        await database.dispose()


async def _newest_article(
    session: AsyncSession, *, title: str, body: str, language: str, article_id: int | None = None
) -> Article:
    """An article published with the newest one stored, added to the session."""
    stamp = (await session.execute(select(func.max(Article.published_at)))).scalar_one()
    article = Article(
        id=article_id,
        title=title,
        body=body,
        language=language,
        content_hash=hashlib.sha256(title.encode()).hexdigest(),
        published_at=stamp,
        ingested_at=stamp,
        updated_at=stamp,
    )
    session.add(article)
    return article


async def test_a_target_with_rows_is_refused_and_left_as_it_was(source: Path, target: str) -> None:
    source_url = f"sqlite+aiosqlite:///{source}"
    assert run_cli("db", "copy", "--to", target, env=_env(source_url)).returncode == 0
    counts = await _counts(target)
    again = run_cli("db", "copy", "--to", target, env=_env(source_url))
    assert again.returncode == 2
    lines = again.stderr.strip().splitlines()
    assert len(lines) == 1 and "the target database is not empty" in lines[0], again.stderr
    assert PASSWORD not in again.stdout + again.stderr
    assert await _counts(target) == counts


def test_the_database_itself_and_unreachable_targets_are_refused(source: Path) -> None:
    source_url = f"sqlite+aiosqlite:///{source}"
    itself = run_cli("db", "copy", "--to", source_url, env=_env(source_url))
    assert itself.returncode == 2 and "the configured database itself" in itself.stderr
    nowhere = f"postgresql+asyncpg://newsdigest:{PASSWORD}@127.0.0.1:9/none"
    unreachable = run_cli("db", "copy", "--to", nowhere, env=_env(source_url))
    assert unreachable.returncode == 2, unreachable.stderr
    assert "cannot copy into postgresql+asyncpg://newsdigest:***@127.0.0.1:9/none" in (
        unreachable.stderr
    )
    assert PASSWORD not in unreachable.stdout + unreachable.stderr
    nonsense = run_cli("db", "copy", "--to", "not a url", env=_env(source_url))
    assert nonsense.returncode == 2 and "expects a database URL" in nonsense.stderr


async def test_a_copy_into_sqlite_puts_only_the_newest_articles_in_the_recent_index(
    source: Path, tmp_path: Path
) -> None:
    """The recent search index of a SQLite target starts as housekeeping would leave it: the
    newest 100,000 ids, not every article copied (whose trimming would then hold the write
    lock for minutes); search finds old and new articles alike."""
    source_url = f"sqlite+aiosqlite:///{source}"
    database = create_database(source_url)
    try:
        async with database.write() as session:
            await _newest_article(
                session,
                title="Паводок отступил",
                body="Вода ушла из посёлка.",
                language="ru",
                article_id=150_000,
            )
    finally:
        await database.dispose()
    target = f"sqlite+aiosqlite:///{tmp_path / 'target.db'}"
    assert run_cli("db", "copy", "--to", target, env=_env(source_url)).returncode == 0
    with closing(sqlite3.connect(tmp_path / "target.db")) as connection:
        assert connection.execute("SELECT after_id FROM search_recent_bound").fetchall() == [
            (50_000,)
        ]
        recent = "SELECT rowid FROM article_fts_recent WHERE article_fts_recent MATCH ?"
        assert connection.execute(recent, ('"паводок"',)).fetchall() == [(150_000,)]
        assert connection.execute(recent, ('"karaganda"',)).fetchall() == []
        whole = "SELECT count(*) FROM article_fts WHERE article_fts MATCH ?"
        assert connection.execute(whole, ('"karaganda"',)).fetchone()[0] > 0
        for index in ("article_fts", "article_fts_recent"):
            connection.execute(
                f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 0)"  # noqa: S608
            )
