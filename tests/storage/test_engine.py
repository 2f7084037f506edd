"""The engine on both backends: migrations, aware datetimes, write locking, full-text search."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import OperationalError, StatementError

from storage.engine import Database, create_database
from storage.migrate import alembic_config, upgrade_schema
from storage.models import Chat


async def test_migrations_reach_head_and_are_idempotent(database: Database) -> None:
    await upgrade_schema(database)
    async with database.read() as session:
        version = (await session.execute(text("SELECT version_num FROM alembic_version"))).scalar()
    assert version == ScriptDirectory.from_config(alembic_config()).get_current_head()


async def test_datetimes_come_back_aware_in_utc(database: Database) -> None:
    almaty_morning = datetime(2025, 1, 13, 8, 0, tzinfo=timezone(timedelta(hours=5)))
    async with database.write() as session:
        session.add(
            Chat(
                id=1,
                created_at=almaty_morning,
                updated_at=almaty_morning,
                next_due_at=almaty_morning,
            )
        )
    async with database.read() as session:
        chat = await session.get(Chat, 1)
    assert chat is not None and chat.next_due_at is not None
    assert chat.next_due_at.tzinfo is not None
    assert chat.next_due_at == datetime(2025, 1, 13, 3, 0, tzinfo=UTC)


async def test_naive_datetimes_are_refused(database: Database) -> None:
    naive = datetime(2025, 1, 13, 8, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(StatementError, match="naive datetime"):
        async with database.write() as session:
            session.add(Chat(id=2, created_at=naive, updated_at=naive))


async def test_chat_ids_need_64_bits(database: Database) -> None:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    big = -1002_345_678_901_234  # supergroup ids are beyond 32 bits
    async with database.write() as session:
        session.add(Chat(id=big, created_at=now, updated_at=now))
    async with database.read() as session:
        assert (await session.get(Chat, big)) is not None


async def test_sqlite_is_in_wal_mode_with_foreign_keys(sqlite_database: Database) -> None:
    async with sqlite_database.read() as session:
        assert (await session.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await session.execute(text("PRAGMA foreign_keys"))).scalar() == 1


async def test_concurrent_read_then_write_transactions_do_not_fail(database_url: str) -> None:
    """Two engines on one database (like the bot and an ingest) each read, then write, at once."""
    first, second = create_database(database_url), create_database(database_url)
    now = datetime(2025, 1, 1, tzinfo=UTC)

    async def read_then_write(database: Database, start: int) -> None:
        for offset in range(20):
            async with database.write() as session:
                await session.execute(text("SELECT count(*) FROM chat"))
                await asyncio.sleep(0)
                session.add(Chat(id=start + offset, created_at=now, updated_at=now))

    try:
        await asyncio.gather(read_then_write(first, 0), read_then_write(second, 1000))
        async with first.read() as session:
            count = (await session.execute(text("SELECT count(*) FROM chat"))).scalar()
        assert count == 40
    finally:
        await first.dispose()
        await second.dispose()


async def test_a_sqlite_file_that_cannot_be_opened_leaves_no_worker_thread(
    tmp_path: Path,
) -> None:
    """The open fails (its directory is missing) with SQLite's own error, and aiosqlite's worker
    thread has ended by then: a command that fails so prints its error and closes its event
    loop at once, and a thread still running would answer on the closed loop."""
    before = set(threading.enumerate())
    database = create_database(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'news.db'}")
    try:
        with pytest.raises(OperationalError, match="unable to open database file"):
            async with database.engine.connect():
                pass
        left = [
            thread
            for thread in set(threading.enumerate()) - before
            if "_connection_worker_thread" in thread.name  # aiosqlite's
        ]
        assert left == []
    finally:
        await database.dispose()


async def test_the_sqlite_opener_opens_the_file_the_url_names(tmp_path: Path) -> None:
    """The engine's own opener takes the file from the URL as SQLAlchemy's dialect reads it."""
    database = create_database(f"sqlite+aiosqlite:///{tmp_path / 'news.db'}")
    try:
        async with database.engine.connect() as connection:
            files = (await connection.exec_driver_sql("PRAGMA database_list")).all()
        assert [Path(str(row[-1])) for row in files] == [tmp_path / "news.db"]
    finally:
        await database.dispose()
