"""Which process sends a claimed ledger row: a short row lease, taken atomically and renewed
while the row is being sent (PostgreSQL, where several instances send).

Several instances share the claimed rows. A row is taken in one UPDATE that only succeeds
when nobody holds it (`sender_until` unset or passed), and renewed every third of the lease
while it is sent; a killed instance's rows become takeable when their lease passes, so another
instance finishes them. A sender whose renewal fails, or whose lease nears its end, has lost
the row: it sends no further part and writes nothing more to it.

SQLite runs one sending instance (the sender lease), so there the next row is only read, the
sender's in-process set keeps two workers off one row, and nothing is leased: no write
transaction is added to a digest's send.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Collection
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError

from bot.clock import Clock
from storage.engine import Database
from storage.queries import deliveries as ledger

logger = logging.getLogger(__name__)


class RowLeases:
    """Takes claimed rows for this process (`sender_id`) and holds them while they are sent.

    `margin` (the send timeout) is how long before its lease ends a row counts as lost: a part
    started later could still be on its way when another instance takes the row.
    """

    def __init__(
        self, database: Database, clock: Clock, *, seconds: float, margin: float = 0.0
    ) -> None:
        self.database = database
        self.clock = clock
        self.seconds = seconds
        self.margin = timedelta(seconds=min(margin, seconds / 3))  # renewed every third
        self.sender_id = uuid.uuid4().hex
        self.shared = database.dialect == "postgresql"  # several instances send: leases
        self._held: dict[int, datetime] = {}  # rows held here, each until when

    @property
    def owner(self) -> str | None:
        """The sender id a row must still carry for this process to write to it (None: any,
        on SQLite, where this process is the only sender)."""
        return self.sender_id if self.shared else None

    def _until(self, now: datetime) -> datetime:
        return now + timedelta(seconds=self.seconds)

    def reserved(self, now: datetime) -> tuple[str | None, datetime | None]:
        """(sender_id, sender_until) of a row claimed here to be sent here at once (/digest),
        so no other instance's worker takes it between the claim and the send; on SQLite
        nothing is leased."""
        return (self.sender_id, self._until(now)) if self.shared else (None, None)

    async def take_free(self, *, alerts: bool, limit: int, skip: Collection[int] = ()) -> list[int]:
        """Take up to `limit` of the most overdue free rows (digests, or due alerts) but those
        in `skip` (being sent here), in one transaction. On SQLite the rows are only read."""
        now = self.clock.now()
        if not self.shared:
            async with self.database.read() as session:
                return await ledger.free_rows(
                    session, alerts=alerts, now=now, limit=limit, skip=skip
                )
        until = self._until(now)
        async with self.database.write() as session:
            taken = await ledger.take_free(
                session,
                alerts=alerts,
                sender_id=self.sender_id,
                now=now,
                until=until,
                limit=limit,
                skip=skip,
            )
        self._held.update(dict.fromkeys(taken, until))
        return taken

    async def release(self, delivery_ids: Collection[int]) -> None:
        """Give up rows taken here and not sent (stopping): other instances may take them at
        once rather than when their leases pass. Nothing to do on SQLite."""
        mine = [delivery_id for delivery_id in delivery_ids if self._held.pop(delivery_id, None)]
        if not self.shared or not mine:
            return
        async with self.database.write() as session:
            await ledger.release(session, ids=mine, sender_id=self.sender_id)

    def lost(self, delivery_id: int) -> bool:
        """Whether a row held here may be another instance's by now: a renewal found it taken,
        or its lease runs out within the margin (renewals failed). Never on SQLite."""
        if not self.shared:
            return False
        until = self._held.get(delivery_id)
        return until is None or self.clock.now() >= until - self.margin

    @contextlib.asynccontextmanager
    async def holding(self, delivery_id: int, *, taken: bool = False) -> AsyncIterator[bool]:
        """Take the row (or keep it, when ours) and renew it until the block ends; whether
        this process holds it (False: another instance sends it, it rests, or it is done).
        `taken`: `take_free` took it, and it may have waited since (renewed first if a third
        of its lease has passed). Always True on SQLite, with nothing written."""
        if not self.shared:
            yield True
            return
        held = await self._renewed_if_aging(delivery_id) if taken else await self._take(delivery_id)
        if not held:
            yield False
            return
        done = asyncio.Event()
        renewing = asyncio.create_task(self._renew(delivery_id, done))
        try:
            yield delivery_id in self._held
        finally:
            done.set()  # the renewal ends its current write, if any, then stops
            await renewing
            self._held.pop(delivery_id, None)

    async def _renewed_if_aging(self, delivery_id: int) -> bool:
        """Whether a row taken earlier is still held; renewed first when a third of its lease
        has passed while it waited to be sent (the renewal job's first turn comes a third of
        the lease after sending starts)."""
        until = self._held.get(delivery_id)
        if until is None:
            return False
        if self.clock.now() < until - timedelta(seconds=self.seconds * 2 / 3):
            return True
        return await self.renew(delivery_id) and delivery_id in self._held

    async def _take(self, delivery_id: int) -> bool:
        now = self.clock.now()
        until = self._until(now)
        async with self.database.write() as session:
            taken = await ledger.take(
                session, delivery_id=delivery_id, sender_id=self.sender_id, now=now, until=until
            )
        if taken:
            self._held[delivery_id] = until
        return taken

    async def renew(self, delivery_id: int) -> bool:
        """Extend the lease of a row held here; False (and the row is lost) when another
        instance took it meanwhile. A failed write keeps the old lease, which may run out."""
        until = self._until(self.clock.now())
        try:
            async with self.database.write() as session:
                renewed = await ledger.extend(
                    session, delivery_id=delivery_id, sender_id=self.sender_id, until=until
                )
        except SQLAlchemyError:  # the next renewal tries again before the lease passes
            logger.warning("row lease not renewed delivery=%s", delivery_id, exc_info=True)
            return not self.lost(delivery_id)
        if renewed:
            self._held[delivery_id] = until
        else:
            logger.warning("row lease lost to another instance delivery=%s", delivery_id)
            self._held.pop(delivery_id, None)
        return renewed

    async def _renew(self, delivery_id: int, done: asyncio.Event) -> None:
        while not done.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), timeout=self.seconds / 3)
                return
            if not await self.renew(delivery_id) and delivery_id not in self._held:
                return  # another instance's row now: nothing left to renew
