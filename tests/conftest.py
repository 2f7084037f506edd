"""Shared fixtures: a real SQLite file per test, and PostgreSQL when TEST_POSTGRES_URL is set."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import text

from bot.ingest.parse_worker import ParsingPool
from storage.engine import Database, create_database
from storage.migrate import upgrade_schema

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


async def _reset_postgres(url: str) -> None:
    database = create_database(url)
    try:
        async with database.engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    finally:
        await database.dispose()


@pytest.fixture(params=BACKENDS)
async def database(
    request: pytest.FixtureRequest, tmp_path: os.PathLike[str]
) -> AsyncIterator[Database]:
    """A migrated, empty database on each backend."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path}/test.db"
    else:
        url = POSTGRES_URL
        await _reset_postgres(url)
    db = create_database(url)
    await upgrade_schema(db)
    try:
        yield db
    finally:
        await db.dispose()


@pytest.fixture
async def sqlite_database(tmp_path: os.PathLike[str]) -> AsyncIterator[Database]:
    """A migrated, empty SQLite database in a real file."""
    db = create_database(f"sqlite+aiosqlite:///{tmp_path}/test.db")
    await upgrade_schema(db)
    try:
        yield db
    finally:
        await db.dispose()


@pytest.fixture(scope="session")
def parsing_pool() -> Iterator[ParsingPool]:
    """The poller's parsing workers, started once for the whole run (each start loads the
    tagger); a test that gets a worker killed leaves a fresh one behind."""
    pool = ParsingPool(workers=2)
    try:
        yield pool
    finally:
        pool.close()
