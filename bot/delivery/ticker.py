"""The digest tick: one fixed job that asks the database who is due, claims, renders, sends."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass

from bot.delivery.alerts import AlertTicker
from bot.delivery.claims import render_claim
from bot.delivery.planner import claim_due
from bot.delivery.sender import Sender
from bot.digests.preview import CompositionCache
from bot.services import Services
from storage.queries import deliveries as ledger

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TickReport:
    claimed: int = 0
    sent: int = 0
    empty: int = 0
    failed: int = 0
    pending: int = 0


class DigestTicker:
    """Claims due digests in one transaction, then renders and sends every claimed one, a few
    at once; chats delivered together share their windows and compositions (one cache).
    `alerts` is the urgent alerts' ticker on the same sender (its own job, bot/jobs.py)."""

    def __init__(self, services: Services, sender: Sender) -> None:
        self.services = services
        self.sender = sender
        self.alerts = AlertTicker(services, sender)
        self._lock = asyncio.Lock()

    async def tick(self) -> TickReport:
        """One run; overlapping runs wait for each other instead of claiming twice."""
        if self.sender.stopping:
            return TickReport()
        async with self._lock:
            return await self._tick()

    async def idle(self) -> None:
        """Return once no digest or alert tick is running (used to drain on SIGTERM)."""
        async with self._lock:
            pass
        await self.alerts.idle()

    async def _tick(self) -> TickReport:
        settings = self.services.settings
        now = self.services.clock.now()
        async with self.services.database.write() as session:
            claimed = await claim_due(
                session, now=now, limit=settings.claim_batch, policy=self.services.window_policy
            )
        async with self.services.database.read() as session:
            ids = await ledger.pending(session, limit=settings.claim_batch * 2)
        gate = asyncio.Semaphore(settings.send_concurrency)
        cache = CompositionCache()

        async def deliver(delivery_id: int) -> str:
            async with gate:
                if self.sender.stopping or self.sender.sending(delivery_id):
                    return ledger.CLAIMED
                await render_claim(self.services, delivery_id, cache)
                return await self.sender.deliver(delivery_id)

        outcomes = Counter(await asyncio.gather(*(deliver(i) for i in ids)))
        report = TickReport(
            claimed=claimed,
            sent=outcomes[ledger.SENT],
            empty=outcomes[ledger.EMPTY],
            failed=outcomes[ledger.FAILED],
            pending=outcomes[ledger.CLAIMED],
        )
        if ids:
            logger.info(
                "digest tick claimed=%s sent=%s empty=%s failed=%s pending=%s",
                report.claimed,
                report.sent,
                report.empty,
                report.failed,
                report.pending,
            )
        return report
