"""The health check: does the database answer, and are the ticks still running?

`Heartbeats` is written by the jobs (when each tick last ran to its end) and by `run` (when
this process became the sender); `health_report` judges them at an instant, purely.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Final
from urllib.parse import quote

from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from storage.engine import Database, create_database
from storage.queries.metrics import probe

logger = logging.getLogger(__name__)

SENDER: Final = "sender"  # the leader: sends, polls sources, keeps house
SHARING: Final = "sharing"  # PostgreSQL: sends its share of the digests without leading
STANDBY: Final = "standby"
STALL_FACTOR: Final = 3  # a tick older than this many intervals has stalled
PROBE_TIMEOUT_SECONDS: Final = 3.0


@dataclass
class Heartbeats:
    """When the digest tick and the source tick last ran to their end, and this process's role.

    A standby runs no ticks and is judged by none; an instance sharing the sending (PostgreSQL)
    is judged by its digest ticks; the leader by its digest and source ticks.
    """

    sender_since: datetime | None = None
    sharing_since: datetime | None = None
    last_tick: datetime | None = None
    last_poll: datetime | None = None

    @property
    def role(self) -> str:
        if self.sender_since is not None:
            return SENDER
        return STANDBY if self.sharing_since is None else SHARING

    def become_sender(self, now: datetime) -> None:
        self.sender_since = now

    def become_sharing(self, now: datetime) -> None:
        """Every instance on PostgreSQL sends its share, leader or not."""
        self.sharing_since = now

    def become_standby(self) -> None:
        """The lead was lost: the source tick is no longer judged (nor the digest tick, unless
        this instance shares the sending)."""
        self.sender_since = None

    def ticked(self, now: datetime) -> None:
        self.last_tick = now

    def polled(self, now: datetime) -> None:
        self.last_poll = now


@dataclass(frozen=True, slots=True)
class Report:
    status: int  # 200 or 503
    body: dict[str, object]


def health_report(
    beats: Heartbeats,
    *,
    now: datetime,
    database_ok: bool,
    tick_seconds: float,
    poll_seconds: float,
) -> Report:
    """200 when the database answers and (on the sender) both ticks ran within 3 intervals;
    503 otherwise, with the same fields and `stalled` naming the late ticks."""
    stalled = []
    if beats.role != STANDBY:
        since = beats.sender_since or beats.sharing_since
        if _late(beats.last_tick or since, now, tick_seconds):
            stalled.append("digest_tick")
    if beats.role == SENDER and _late(beats.last_poll or beats.sender_since, now, poll_seconds):
        stalled.append("source_tick")
    body: dict[str, object] = {
        "database": "ok" if database_ok else "unavailable",
        "role": beats.role,
        "last_tick_age_seconds": _age(beats.last_tick, now),
        "last_poll_age_seconds": _age(beats.last_poll, now),
    }
    if stalled:
        body["stalled"] = stalled
    return Report(200 if database_ok and not stalled else 503, body)


def _age(instant: datetime | None, now: datetime) -> float | None:
    return None if instant is None else round((now - instant).total_seconds(), 3)


def _late(instant: datetime | None, now: datetime, interval: float) -> bool:
    return instant is not None and (now - instant).total_seconds() > STALL_FACTOR * interval


class DatabaseProbe:
    """A fresh connection per check, never the pool's: a pooled SQLite connection keeps its
    file open and answers even after the file is gone or unreadable."""

    def __init__(self, url: str) -> None:
        self._database: Database = create_database(probe_url(url), poolclass=NullPool)

    async def answers(self) -> bool:
        try:
            async with asyncio.timeout(PROBE_TIMEOUT_SECONDS):
                async with self._database.engine.connect() as connection:
                    await probe(connection)
        except (SQLAlchemyError, OSError, TimeoutError) as error:
            # The type and first line only: a driver's message never carries the URL.
            first_line = str(error).splitlines()[0][:200] if str(error) else ""
            logger.warning("health: database unavailable %s: %s", type(error).__name__, first_line)
            return False
        return True

    async def close(self) -> None:
        await self._database.dispose()


def probe_url(url: str) -> str:
    """For a SQLite file, the same file opened read-write without creating it: a check must
    not leave an empty database where the real one went missing."""
    parsed = make_url(url)
    path = parsed.database
    if not parsed.drivername.startswith("sqlite") or not path or path == ":memory:":
        return url
    # Quoted twice: SQLAlchemy unquotes the URL once, SQLite unquotes its file: URI again.
    return f"{parsed.drivername}:///file:{quote(quote(path))}?mode=rw&uri=true"
