"""The alert tick: one fixed job that claims alerts for new urgent stories, then sends the due ones.

Alerts share the digests' sender (the same flood limits, the same crash-safe ledger: a claimed
row is sent until recorded, never claimed twice). Each tick, a restarted one too, looks at the
stories ingested in the last `RESCAN`: an alert is news of the moment, so a chat that turns
alerts on (or a restart) never brings a burst of the day's older alerts; those are in the digest.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from bot.delivery.alert_planner import AlertPolicy, plan_alerts
from bot.delivery.sender import Sender
from bot.delivery.workers import drain
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

    async def tick(self, *, plan: bool = True) -> AlertReport:
        """One run; overlapping runs wait for each other instead of planning twice. `plan`
        false: only send the due alerts (several instances send; the leader alone plans)."""
        if self.sender.stopping:
            return AlertReport()
        async with self._lock:
            if self.sender.stopping:  # SIGTERM came while waiting for the running tick
                return AlertReport()
            return await self._tick(plan)

    async def idle(self) -> None:
        """Return once no tick is running (used to drain on SIGTERM)."""
        async with self._lock:
            return

    async def _any_due(self, now: datetime) -> bool:
        async with self.services.database.read() as session:
            return bool(await alert_queries.due_alerts(session, now=now, limit=1))

    async def _tick(self, plan: bool) -> AlertReport:
        services = self.services
        now = services.clock.now()
        rows = await self._plan(now) if plan else []
        if await self._any_due(now):
            async with services.database.write() as session:
                await alert_queries.close_unsendable(session, now=now)

        outcomes = await drain(
            self.sender,
            alerts=True,
            budget=services.settings.claim_batch,
            workers=services.settings.send_concurrency,
        )
        report = AlertReport(
            claimed=len(rows),
            sent=outcomes[ledger.SENT],
            failed=outcomes[ledger.FAILED],
            pending=outcomes[ledger.CLAIMED],
        )
        if rows or outcomes:
            logger.info(
                "alert tick claimed=%s sent=%s failed=%s pending=%s",
                report.claimed,
                report.sent,
                report.failed,
                report.pending,
            )
        return report

    async def _plan(self, now: datetime) -> list[dict[str, object]]:
        """Claim alert rows for the urgent stories ingested since the last run (or RESCAN)."""
        services = self.services
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
        return rows
