"""The bot's repeating jobs, all scheduled in one place: never one job per chat or source.

The schedule of every chat and source lives in the database (`next_due_at`, `next_poll_at`);
these few jobs only ask it what is due. `schedule_jobs` is the single function that puts
them on python-telegram-bot's JobQueue, and a test reads the started Application's jobs, so
none can silently go missing again.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import time
from typing import Any, Final

from telegram.ext import Application

from bot.chat.context import BotContext
from bot.chat.notify import tell_operators
from bot.delivery.housekeeping import housekeeping
from bot.delivery.lease import SenderLease
from bot.delivery.ticker import DigestTicker
from bot.ingest.ticker import SourceTicker
from bot.metrics.gauges import REFRESH_SECONDS, refresh_gauges
from bot.metrics.health import Heartbeats
from bot.services import Services

logger = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
HOUSEKEEPING_AT: Final = time(3, 30)
DIGEST_TICK: Final = "digest-tick"
ALERT_TICK: Final = "alert-tick"
SOURCE_TICK: Final = "source-tick"
LEASE_RENEWAL: Final = "sender-lease"
HOUSEKEEPING: Final = "housekeeping"
GAUGES: Final = "metric-gauges"


@dataclass(frozen=True, slots=True)
class JobParts:
    """What the jobs work with; handed to each job as its `data`."""

    services: Services
    digests: DigestTicker
    sources: SourceTicker
    lease: SenderLease
    stop: asyncio.Event
    heartbeats: Heartbeats  # what /healthz judges


def schedule_jobs(application: AnyApplication, parts: JobParts) -> None:
    """Put every repeating job of `newsdigest run` on the application's JobQueue."""
    queue = application.job_queue
    if queue is None:
        raise RuntimeError("python-telegram-bot was installed without the job-queue extra")
    settings = parts.services.settings
    queue.run_repeating(
        digest_tick,
        interval=settings.digest_tick_seconds,
        first=0.5,
        name=DIGEST_TICK,
        data=parts,
        job_kwargs=_late(settings.digest_tick_seconds),
    )
    queue.run_repeating(
        alert_tick,
        interval=settings.alert_tick_seconds,
        first=0.7,
        name=ALERT_TICK,
        data=parts,
        job_kwargs=_late(settings.alert_tick_seconds),
    )
    queue.run_repeating(
        source_tick,
        interval=settings.source_tick_seconds,
        first=1.0,
        name=SOURCE_TICK,
        data=parts,
        # A second instance may start while a long round runs; it returns at once.
        job_kwargs={**_late(settings.source_tick_seconds), "max_instances": 2},
    )
    renew_every = parts.lease.seconds / 3
    queue.run_repeating(
        renew_lease,
        interval=renew_every,
        first=renew_every,
        name=LEASE_RENEWAL,
        data=parts,
        job_kwargs=_late(renew_every),
    )
    queue.run_daily(
        keep_house,
        time=HOUSEKEEPING_AT.replace(tzinfo=settings.zone),
        name=HOUSEKEEPING,
        data=parts,
        job_kwargs=_late(60),
    )
    if settings.metrics_listen is not None:  # nobody reads the gauges otherwise
        queue.run_repeating(
            update_gauges,
            interval=REFRESH_SECONDS,
            first=0.2,
            name=GAUGES,
            data=parts,
            job_kwargs=_late(REFRESH_SECONDS),
        )


def _late(interval: float) -> dict[str, Any]:
    """A late run happens once (coalesced) instead of being skipped or repeated."""
    return {"misfire_grace_time": max(int(interval), 1), "coalesce": True, "max_instances": 1}


def _parts(context: BotContext) -> JobParts:
    job = context.job
    if job is None or not isinstance(job.data, JobParts):
        raise RuntimeError("a bot job was scheduled without its JobParts")
    return job.data


async def digest_tick(context: BotContext) -> None:
    """Claim and send the digests that are due."""
    parts = _parts(context)
    await parts.digests.tick()
    parts.heartbeats.ticked(parts.services.clock.now())


async def alert_tick(context: BotContext) -> None:
    """Claim alerts for new urgent stories and send the due ones."""
    await _parts(context).digests.alerts.tick()


async def source_tick(context: BotContext) -> None:
    """Poll the sources that are due; operators hear of each source that got paused."""
    parts = _parts(context)
    results = await parts.sources.tick()
    # A tick that found a round still running counts too: the scheduler is alive.
    parts.heartbeats.polled(parts.services.clock.now())
    for result in results:
        if result.paused:
            await tell_operators(context.bot, parts.services, result)


async def renew_lease(context: BotContext) -> None:
    """Keep the sender lease; an instance that lost it stops, so two never poll or send."""
    parts = _parts(context)
    if not await parts.lease.acquire():
        logger.error("lost the sender lease to another instance; stopping")
        parts.stop.set()


async def keep_house(context: BotContext) -> None:
    """Prune old articles, keep the database's statistics fresh, write the nightly backup."""
    await housekeeping(_parts(context).services)


async def update_gauges(context: BotContext) -> None:
    """Refresh the metric gauges (chats, sources, digests due) from the database."""
    await refresh_gauges(_parts(context).services.database)
