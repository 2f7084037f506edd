"""One async engine factory for SQLite (aiosqlite) and PostgreSQL (asyncpg).

On SQLite: WAL, foreign keys, a busy timeout, and write transactions that take the write
lock up front (`BEGIN IMMEDIATE`), so the running bot and an `ingest` command can write at
the same time instead of failing with "database is locked" when a read turns into a write.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from typing import Any

import aiosqlite
from sqlalchemy import event
from sqlalchemy.dialects.sqlite.aiosqlite import dialect as aiosqlite_dialect
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, create_async_engine

SQLITE_BUSY_TIMEOUT_MS = 30_000
_WRITE_OPTION = "newsdigest_write"
# How long a failed SQLite open may take to stop its worker thread (it has nothing to do).
_STOPPED_THREAD_WAIT_S = 5.0


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
        engine = create_async_engine(url, async_creator=_sqlite_opener(url), **engine_options)
        _configure_sqlite(engine)
    else:
        engine = create_async_engine(url, pool_pre_ping=True, **engine_options)
    return Database(engine)


def _sqlite_opener(url: str) -> Callable[[], Awaitable[aiosqlite.Connection]]:
    """How the engine opens a SQLite connection: as SQLAlchemy's aiosqlite dialect would, and
    when the file cannot be opened (a missing directory, say), only after the connection's
    worker thread has ended.

    aiosqlite stops that thread without waiting for it, and the thread then answers on the
    event loop; a command that fails on its database prints its one-line error and closes the
    loop at once, so the thread's late answer would end in an "Event loop is closed" traceback.
    The thread is aiosqlite's `_thread`, the attribute SQLAlchemy's dialect itself marks as a
    daemon, as done here (an unclosed connection must not keep the process from exiting).
    """
    arguments, options = aiosqlite_dialect().create_connect_args(make_url(url))
    options["timeout"] = SQLITE_BUSY_TIMEOUT_MS / 1000

    async def open_connection() -> aiosqlite.Connection:
        connection = aiosqlite.connect(*arguments, **options)
        connection._thread.daemon = True
        try:
            return await connection
        except BaseException:
            if connection._thread.is_alive():
                await asyncio.to_thread(connection._thread.join, _STOPPED_THREAD_WAIT_S)
            raise

    return open_connection


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
