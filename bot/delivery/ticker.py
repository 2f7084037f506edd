"""The digest tick: one fixed job that asks the database who is due, claims, renders, sends."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from bot.delivery.alerts import AlertTicker
from bot.delivery.planner import claim_due
from bot.delivery.sender import Sender
from bot.delivery.workers import drain
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
    """Claims due digests in one transaction, then renders and sends claimed ones a batch at
    a time, a few at once (SEND_CONCURRENCY workers); chats delivered together share their
    windows and compositions (one cache). Several instances run it side by side
    on PostgreSQL: claims skip chats another instance is claiming, and each row is sent by
    the instance that took it. `alerts` is the urgent alerts' ticker on the same sender."""

    def __init__(self, services: Services, sender: Sender) -> None:
        self.services = services
        self.sender = sender
        self.alerts = AlertTicker(services, sender)
        self._lock = asyncio.Lock()

    async def tick(self, *, alive: Callable[[], None] | None = None) -> TickReport:
        """One run; overlapping runs wait for each other instead of claiming twice. `alive`
        is called after each claim batch is sent (a run may last minutes: /health)."""
        if self.sender.stopping:
            return TickReport()
        async with self._lock:
            if self.sender.stopping:  # SIGTERM came while waiting for the running tick
                return TickReport()
            return await self._tick(alive or (lambda: None))

    async def idle(self) -> None:
        """Return once no digest or alert tick is running (used to drain on SIGTERM)."""
        async with self._lock:
            pass
        await self.alerts.idle()

    async def _tick(self, alive: Callable[[], None]) -> TickReport:
        """Claim and send until fewer than a claim batch were due: 5,000 chats due at one
        minute are claimed 1,000 at a time, each thousand as soon as the last is sent, not a
        thousand per tick."""
        settings = self.services.settings
        claimed, outcomes = 0, Counter[str]()
        cache = CompositionCache()  # one run: chats sent in it share windows and compositions
        while not self.sender.stopping:
            async with self.services.database.write() as session:
                batch = await claim_due(
                    session,
                    now=self.services.clock.now(),
                    limit=settings.claim_batch,
                    policy=self.services.window_policy,
                )
            claimed += batch
            # The run's last claim: other instances' claims may still be open (PostgreSQL).
            if batch < settings.claim_batch and self.services.database.dialect == "postgresql":
                async with self.services.database.write() as session:
                    await ledger.wait_for_claims(session, now=self.services.clock.now())
            outcomes += await drain(
                self.sender,
                alerts=False,
                budget=settings.claim_batch * 2,
                workers=settings.send_concurrency,
                cache=cache,
            )
            alive()
            if batch < settings.claim_batch:
                break
        report = TickReport(
            claimed=claimed,
            sent=outcomes[ledger.SENT],
            empty=outcomes[ledger.EMPTY],
            failed=outcomes[ledger.FAILED],
            pending=outcomes[ledger.CLAIMED],
        )
        if claimed or outcomes:
            logger.info(
                "digest tick claimed=%s sent=%s empty=%s failed=%s pending=%s",
                report.claimed,
                report.sent,
                report.empty,
                report.failed,
                report.pending,
            )
        return report
