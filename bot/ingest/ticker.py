"""The source tick: one fixed job that asks the database which sources are due and polls them.

A round of polls can outlast the tick's interval (a slow source runs to its deadline); the
next tick then does nothing instead of queueing behind it, and SIGTERM cancels the round
(what it stored so far stays; an unfinished source is simply still due).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.ingest.poller import SourcePoller
from bot.ingest.source_health import PollResult

logger = logging.getLogger(__name__)


class SourceTicker:
    """Runs at most one round of polls at a time; `stop` ends a running one."""

    def __init__(self, poller: SourcePoller) -> None:
        self.poller = poller
        self._round: asyncio.Task[list[PollResult]] | None = None
        self.stopping = False

    @property
    def busy(self) -> bool:
        return self._round is not None and not self._round.done()

    async def tick(self) -> list[PollResult]:
        """Poll every due source, unless a round is still running or the bot is stopping."""
        if self.stopping or self.busy:
            return []
        self._round = asyncio.ensure_future(self.poller.poll_due())
        try:
            results = await self._round
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise  # this tick itself is being cancelled, not only the round
            return []  # `stop` cancelled the round
        failed = sum(1 for result in results if result.status == "error")
        if results:
            logger.info(
                "source tick polled=%s new=%s failed=%s",
                len(results),
                sum(result.new for result in results),
                failed,
            )
        return results

    async def stop(self) -> None:
        """Start no new round and cancel the running one (used on SIGTERM)."""
        self.stopping = True
        if self._round is not None and not self._round.done():
            self._round.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._round
