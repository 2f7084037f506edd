"""One async engine factory for SQLite (aiosqlite) and PostgreSQL (asyncpg).

On SQLite: WAL, foreign keys, a busy timeout, and write transactions that take the write
lock up front (`BEGIN IMMEDIATE`), so the running bot and an `ingest` command can write at
the same time instead of failing with "database is locked" when a read turns into a write.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, create_async_engine

SQLITE_BUSY_TIMEOUT_MS = 30_000
_WRITE_OPTION = "newsdigest_write"


class Database:
    """The engine plus the two ways to use it: a read transaction or a write transaction.

    The caller owns the transaction: `write()` commits when its block ends without error,
    so several writes of one use case share one commit.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._writer = engine.execution_options(**{_WRITE_OPTION: True})
        # SQLite has one writer at a time: this process's writers queue here, in turn,
        # rather than in SQLite's busy handler (a sleeping poll in a worker thread each).
        self._write_turn = asyncio.Lock() if engine.dialect.name == "sqlite" else None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with AsyncSession(self.engine, expire_on_commit=False) as session:
            yield session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        async with (
            self._turn(),
            AsyncSession(self._writer, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    @asynccontextmanager
    async def begin_write(self) -> AsyncIterator[AsyncConnection]:
        """A connection in a write transaction (on SQLite it holds the write lock from BEGIN)."""
        async with self._turn(), self._writer.begin() as connection:
            yield connection

    @asynccontextmanager
    async def _turn(self) -> AsyncIterator[None]:
        """This process's turn to write (SQLite); at once on PostgreSQL, where writers run
        side by side."""
        if self._write_turn is None:
            yield
            return
        try:
            async with asyncio.timeout(SQLITE_BUSY_TIMEOUT_MS / 1000):
                await self._write_turn.acquire()
        except TimeoutError:  # as SQLite's busy handler would have ended: an error, not a hang
            raise OperationalError(
                "BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked")
            ) from None
        try:
            yield
        finally:
            self._write_turn.release()

    async def dispose(self) -> None:
        await self.engine.dispose()


def create_database(url: str, **engine_options: Any) -> Database:
    """Build the engine for `url` with the backend's settings applied on every connection."""
    if url.startswith("sqlite"):
        engine = create_async_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **engine_options
        )
        _configure_sqlite(engine)
    else:
        engine = create_async_engine(url, pool_pre_ping=True, **engine_options)
    return Database(engine)


def _configure_sqlite(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us emit BEGIN ourselves (pysqlite's own transaction handling is off).
        dbapi_connection.isolation_level = None
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            _use_wal(cursor)
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()
        except BaseException:
            # The pool drops a connection whose set-up failed (not a database, say) without
            # closing it: closed here, its aiosqlite thread ends now, not at some later
            # collection, when its event loop may be gone.
            with suppress(Exception):  # the set-up's own error is the one to see
                dbapi_connection.close()
            raise

    @event.listens_for(sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        writing = connection.get_execution_options().get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def _use_wal(cursor: Any) -> None:
    """Switch a new database file to WAL once; another process may hold it for a moment.

    Changing the journal mode needs the file to itself and does not wait on the busy
    timeout, so two processes starting on a fresh file retry briefly.
    """
    for attempt in range(100):
        try:
            cursor.execute("PRAGMA journal_mode")
            if str(cursor.fetchone()[0]).lower() == "wal":
                return
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error).lower() or attempt == 99:
                raise
            time.sleep(0.05)
