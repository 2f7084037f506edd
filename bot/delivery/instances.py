"""Live instances: each `newsdigest run` heartbeats, and counts the live ones to take its
share of the overall send rate (several instances send on PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.clock import Clock
from storage.engine import Database
from storage.queries import instances as instance_queries

FORGET_AFTER = 10  # lease periods after which a silent instance's row is deleted


class Instances:
    """This instance's heartbeat (every third of `seconds`) and the live count it last saw.

    An instance is live while its last beat is younger than `seconds` (LEASE_SECONDS), so a
    killed one stops counting, and its share returns to the others, within that time. Only on
    PostgreSQL, where several instances send: SQLite runs one sender and writes no beats.
    """

    def __init__(
        self, database: Database, clock: Clock, *, instance_id: str, seconds: float
    ) -> None:
        self.database = database
        self.clock = clock
        self.instance_id = instance_id
        self.seconds = seconds
        self.shared = database.dialect == "postgresql"
        self.live = 1
        self.first_beat: datetime | None = None
        self.last_beat: datetime | None = None

    @property
    def _interval(self) -> timedelta:
        return timedelta(seconds=self.seconds / 3)

    async def beat(self) -> int:
        """Say this instance is alive; how many instances are (itself included)."""
        if not self.shared:
            return self.live
        now = self.clock.now()
        async with self.database.write() as session:
            await instance_queries.beat(session, instance_id=self.instance_id, now=now)
            await instance_queries.forget_silent(
                session, before=now - timedelta(seconds=self.seconds * FORGET_AFTER)
            )
            live = await instance_queries.live_count(
                session, since=now - timedelta(seconds=self.seconds)
            )
        self.first_beat = self.first_beat or now
        self.last_beat = now
        self.live = max(live, 1)
        return self.live

    def counted(self, now: datetime) -> bool:
        """Whether this instance may send at its share by `now`.

        The others count it from their next beat after its first, up to one interval plus
        jitter later, so it waits two intervals. And it stops while its own beats fail for two
        intervals: a third of the lease before the others stop counting it and take its share.
        """
        if self.first_beat is None or self.last_beat is None:
            return False
        settled = now >= self.first_beat + 2 * self._interval
        return settled and now < self.last_beat + 2 * self._interval

    async def leave(self) -> None:
        """Stop counting at once (a clean stop): the others take the whole rate back."""
        if not self.shared:
            return
        async with self.database.write() as session:
            await instance_queries.remove(session, instance_id=self.instance_id)
