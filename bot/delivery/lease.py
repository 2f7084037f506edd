"""The leader: a lease row one instance holds to poll updates and sources, keep house and
refresh the gauges; on SQLite also the only instance that sends."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from bot.clock import Clock
from bot.delivery.instances import Instances
from storage.engine import Database
from storage.queries import lease as lease_queries

logger = logging.getLogger(__name__)
LEASE_NAME = "sender"
SQLITE_STANDBY = (
    "SQLite runs one instance: this one stands by until the other stops; "
    "use PostgreSQL for several instances (see Scaling)"
)
POSTGRES_STANDBY = (
    "another instance leads (updates, sources, housekeeping); this one sends its share of "
    "digests and alerts and stands by to lead"
)


class SenderLease:
    """Acquire, renew and release the lease; a second instance stands by until it expires.

    `held` says whether this instance leads now: true after a successful acquire or renewal,
    until its lease would expire by this instance's clock, a renewal fails, or it is released;
    `leading` whether the last acquire succeeded (a late renewal that fails lost the lead).
    `instances` is this instance's heartbeat (its id is the lease holder's).
    """

    def __init__(self, database: Database, clock: Clock, *, seconds: float) -> None:
        self.database = database
        self.clock = clock
        self.seconds = seconds
        self.holder = uuid.uuid4().hex
        self.instances = Instances(database, clock, instance_id=self.holder, seconds=seconds)
        self._until: datetime | None = None
        self._standing_by = False

    @property
    def leading(self) -> bool:
        return self._until is not None

    @property
    def held(self) -> bool:
        return self._until is not None and self.clock.now() < self._until

    async def acquire(self) -> bool:
        """Take (or renew) the lease; False while another live instance holds it."""
        now = self.clock.now()
        until = now + timedelta(seconds=self.seconds)
        try:
            async with self.database.write() as session:
                taken = await lease_queries.acquire(
                    session, name=LEASE_NAME, holder=self.holder, now=now, until=until
                )
        except IntegrityError:  # another instance inserted the first lease row at the same time
            taken = False
        self._until = until if taken else None
        self._announce(taken)
        return taken

    def _announce(self, taken: bool) -> None:
        """One line when this instance starts standing by, and one when it then leads."""
        if taken and self._standing_by:
            self._standing_by = False
            logger.info("took over the sender lease")
        elif not taken and not self._standing_by:
            self._standing_by = True
            logger.info(SQLITE_STANDBY if self.database.dialect == "sqlite" else POSTGRES_STANDBY)

    async def release(self) -> None:
        """Give the lease up at once (a clean shutdown) and stop counting as a live instance."""
        self._until = None
        async with self.database.write() as session:
            await lease_queries.release(session, name=LEASE_NAME, holder=self.holder)
        await self.instances.leave()
        logger.info("sender lease released")
