"""One sender per bot token: a lease row that an instance must hold to poll and send."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from bot.clock import Clock
from storage.engine import Database
from storage.queries import lease as lease_queries

logger = logging.getLogger(__name__)
LEASE_NAME = "sender"


class SenderLease:
    """Acquire, renew and release the sender lease; a second instance stands by until it expires."""

    def __init__(self, database: Database, clock: Clock, *, seconds: float) -> None:
        self.database = database
        self.clock = clock
        self.seconds = seconds
        self.holder = uuid.uuid4().hex

    async def acquire(self) -> bool:
        """Take (or renew) the lease; False while another live instance holds it."""
        now = self.clock.now()
        try:
            async with self.database.write() as session:
                return await lease_queries.acquire(
                    session,
                    name=LEASE_NAME,
                    holder=self.holder,
                    now=now,
                    until=now + timedelta(seconds=self.seconds),
                )
        except IntegrityError:  # another instance inserted the first lease row at the same time
            return False

    async def release(self) -> None:
        async with self.database.write() as session:
            await lease_queries.release(session, name=LEASE_NAME, holder=self.holder)
        logger.info("sender lease released")
