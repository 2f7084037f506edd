"""What several commands share: the clock from `--now`, the tagger, the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock, FixedClock, RunningClock, SystemClock
from bot.domain.tagging import Tagger
from bot.ingest.gc_tuning import worker_tagger
from storage.engine import Database, create_database
from storage.migrate import upgrade_schema


class UsageError(Exception):
    """A command-line argument is wrong; the message says which and how."""


def parse_now(value: str | None, zone: ZoneInfo) -> Clock:
    """`--now 2025-01-14T08:00` pins the clock; a time without offset is in the default zone."""
    if value is None:
        return SystemClock()
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"--now expects an ISO date-time such as 2025-01-14T08:00, not {value!r}"
        ) from None
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=zone)
    return FixedClock(instant)


def running(clock: Clock) -> Clock:
    """For the commands that keep running: a pinned clock starts at its instant and moves on."""
    return RunningClock(clock.now()) if isinstance(clock, FixedClock) else clock


def load_tagger() -> Tagger:
    """The tagger over the bundled gazetteer, topic lexicon and alert lexicon: the parse
    workers' own, loaded once per process with its tables kept out of garbage collection."""
    return worker_tagger()


@asynccontextmanager
async def open_database(url: str) -> AsyncIterator[Database]:
    """A database with its schema brought up to date, always disposed (or the process hangs)."""
    database = create_database(url)
    try:
        await upgrade_schema(database)
        yield database
    finally:
        await database.dispose()
