"""The alert tick: one fixed job that claims alerts for new urgent stories, then sends the due ones.

Alerts share the digests' sender (the same flood limits, the same crash-safe ledger: a claimed
row is sent until recorded, never claimed twice). Each tick, a restarted one too, looks at the
stories ingested in the last `RESCAN`: an alert is news of the moment, so a chat that turns
alerts on (or a restart) never brings a burst of the day's older alerts; those are in the digest.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from bot.delivery.alert_planner import AlertPolicy, plan_alerts
from bot.delivery.sender import Sender
from bot.metrics.registry import METRICS
from bot.services import Services
from storage.queries import alerts as alert_queries
from storage.queries import deliveries as ledger

logger = logging.getLogger(__name__)

RESCAN: Final = timedelta(minutes=10)
"""How far back each tick looks again: an article committed after a later id (PostgreSQL
sequences) or after a slow tick is still seen; re-reading finds its chats already alerted."""


@dataclass(frozen=True, slots=True)
class AlertReport:
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    pending: int = 0


class AlertTicker:
    """Plans and sends alerts, one run at a time; the send of each alert is the digests'."""

    def __init__(self, services: Services, sender: Sender) -> None:
        self.services = services
        self.sender = sender
        self._lock = asyncio.Lock()
        self._fresh_since: datetime | None = None

    async def tick(self) -> AlertReport:
        """One run; overlapping runs wait for each other instead of planning twice."""
        if self.sender.stopping:
            return AlertReport()
        async with self._lock:
            return await self._tick()

    async def idle(self) -> None:
        """Return once no tick is running (used to drain on SIGTERM)."""
        async with self._lock:
            return

    async def _due(self, now: datetime) -> list[int]:
        async with self.services.database.read() as session:
            return await alert_queries.due_alerts(
                session, now=now, limit=self.services.settings.claim_batch
            )

    async def _tick(self) -> AlertReport:
        services = self.services
        now = services.clock.now()
        since = self._fresh_since or now - RESCAN
        # Planning reads; the write lock is taken only when there is something to write.
        async with services.database.read() as session:
            rows = await plan_alerts(
                session,
                now=now,
                fresh_since=since,
                policy=AlertPolicy(daily_cap=services.settings.alert_daily_cap),
                translator=services.translator,
            )
        if rows:
            async with services.database.write() as session:
                await alert_queries.insert_alerts(session, rows=rows)
        self._fresh_since = now - RESCAN
        ids = await self._due(now)
        if ids:
            async with services.database.write() as session:
                await alert_queries.close_unsendable(session, now=now)
            ids = await self._due(now)
        gate = asyncio.Semaphore(services.settings.send_concurrency)

        async def deliver(delivery_id: int) -> str:
            async with gate:
                if self.sender.stopping:
                    return ledger.CLAIMED
                status = await self.sender.deliver(delivery_id)
                if status == ledger.SENT:
                    METRICS.alerts_sent.inc()
                return status

        outcomes = Counter(await asyncio.gather(*(deliver(i) for i in ids)))
        report = AlertReport(
            claimed=len(rows),
            sent=outcomes[ledger.SENT],
            failed=outcomes[ledger.FAILED],
            pending=outcomes[ledger.CLAIMED],
        )
        if rows or ids:
            logger.info(
                "alert tick claimed=%s sent=%s failed=%s pending=%s",
                report.claimed,
                report.sent,
                report.failed,
                report.pending,
            )
        return report
