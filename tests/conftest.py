"""Shared fixtures: a real database per test on SQLite, and on PostgreSQL when
TEST_POSTGRES_URL is set.

Migrations run once per session on each backend. A SQLite test gets a copy of a migrated file;
a PostgreSQL test gets the one migrated database with every table emptied (TRUNCATE … RESTART
IDENTITY), which costs milliseconds where dropping the schema and migrating costs seconds.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import text

from bot.ingest.parse_worker import ParsingPool
from storage.engine import Database, create_database
from storage.migrate import upgrade_schema
from tests.postgres import own_database

# python-telegram-bot 22 warns when building RetryAfter unless timedeltas are enabled.
os.environ.setdefault("PTB_TIMEDELTA", "1")
# The shipped source pack names real sites; every process a test starts loads only the
# bundled sample unless the test says otherwise (there is no internet here or in CI).
os.environ["SOURCE_PACK"] = "sample"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(
                not POSTGRES_URL, reason="TEST_POSTGRES_URL is not set (no PostgreSQL to test on)"
            ),
        ],
    ),
]


T = TypeVar("T")


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def _run_aside(coroutine: Coroutine[object, object, T]) -> T:
    """Run a coroutine to the end in a thread of its own (a session fixture may first be
    asked for inside a test's running event loop)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


async def _reset_postgres(url: str) -> None:
    """Drop everything in the database's public schema (tests/test_db_copy.py's targets)."""
    database = create_database(url)
    try:
        async with database.engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    finally:
        await database.dispose()


async def _migrate(url: str, *, fresh_schema: bool = False) -> None:
    if fresh_schema:
        await _reset_postgres(url)
    database = create_database(url)
    try:
        await upgrade_schema(database)
    finally:
        await database.dispose()


async def _table_names(url: str) -> list[str]:
    database = create_database(url)
    try:
        async with database.read() as session:
            rows = await session.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version' ORDER BY tablename"
                )
            )
            return [str(row[0]) for row in rows]
    finally:
        await database.dispose()


async def _empty_tables(url: str, tables: list[str]) -> bool:
    """Empty every table but alembic_version; False if the schema is gone (a test dropped it)."""
    database = create_database(url)
    try:
        async with database.engine.begin() as connection:
            found = await connection.execute(text("SELECT to_regclass('public.alembic_version')"))
            if found.scalar() is None:
                return False
            names = ", ".join(f'"{table}"' for table in tables)
            await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            return True
    finally:
        await database.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once for the session; tests work on copies of it."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    _run_aside(_migrate(sqlite_url(path)))
    return path


@pytest.fixture(scope="session")
def postgres_tables() -> list[str]:
    """TEST_POSTGRES_URL's database, migrated afresh once per session: its tables to empty."""
    _run_aside(_migrate(POSTGRES_URL, fresh_schema=True))
    return _run_aside(_table_names(POSTGRES_URL))


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a migrated, empty database on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return sqlite_url(path)
    tables: list[str] = request.getfixturevalue("postgres_tables")
    if not await _empty_tables(POSTGRES_URL, tables):
        await _migrate(POSTGRES_URL, fresh_schema=True)
        tables[:] = await _table_names(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    """A migrated, empty database on each backend."""
    db = create_database(database_url)
    try:
        yield db
    finally:
        await db.dispose()


@pytest.fixture
async def sqlite_database(sqlite_template: Path, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated, empty SQLite database in a real file (for what only SQLite has)."""
    path = tmp_path / "test.db"
    shutil.copyfile(sqlite_template, path)
    db = create_database(sqlite_url(path))
    try:
        yield db
    finally:
        await db.dispose()


@pytest.fixture(params=BACKENDS)
async def own_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty, unmigrated database of the test's own on each backend (for processes to share,
    or migrations to run on): a SQLite file, or a PostgreSQL database dropped afterwards."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "bot.db")
        return
    async with own_database(POSTGRES_URL, "nd_own") as url:
        yield url


@pytest.fixture(scope="session")
def parsing_pool() -> Iterator[ParsingPool]:
    """The poller's parsing workers, started once for the whole run (each start loads the
    tagger); a test that gets a worker killed leaves a fresh one behind."""
    pool = ParsingPool(workers=2)
    try:
        yield pool
    finally:
        pool.close()
