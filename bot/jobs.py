"""The bot's repeating jobs, all scheduled in one place: never one job per chat or source.

The schedule of every chat and source lives in the database (`next_due_at`, `next_poll_at`);
these few jobs only ask it what is due. `schedule_jobs` is the single function that puts
them on python-telegram-bot's JobQueue, and a test reads the started Application's jobs, so
none can silently go missing again.

Every instance has every job; each job decides by the instance's role. The leader (holder of
the sender lease) polls sources, keeps house and refreshes the gauges. Digests and alerts are
sent by the leader alone on SQLite, by every instance on PostgreSQL (row locks share the work;
each takes its share of the overall rate). Every instance keeps trying for the lease, so a
standby takes over when the leader dies.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, time
from typing import Any, Final

from telegram.ext import Application, JobQueue

from bot.chat.context import BotContext
from bot.chat.notify import tell_operators
from bot.delivery.housekeeping import housekeeping
from bot.delivery.lease import SenderLease
from bot.delivery.rate import SharedRateLimiter
from bot.delivery.ticker import DigestTicker
from bot.ingest.ticker import SourceTicker
from bot.metrics.gauges import REFRESH_SECONDS, refresh_gauges
from bot.metrics.health import Heartbeats
from bot.services import Services

logger = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
HOUSEKEEPING_AT: Final = time(3, 30)
DIGEST_TICK: Final = "digest-tick"
DIGEST_MINUTE: Final = "digest-minute"
# Second 0 of every minute (APScheduler's cron trigger). Due instants are whole minutes
# (`digest_time` is HH:MM), so a digest is claimed as it falls due without polling the
# database every second: APScheduler runs a job only once its own reading of the wall clock
# (the one the claim reads after it) has reached the instant, so the claim never comes early.
# DIGEST_TICK_SECONDS adds the retries' tick.
EVERY_MINUTE: Final[dict[str, Any]] = {"trigger": "cron", "second": 0, "timezone": UTC}
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
    _schedule_sending(queue, parts)
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
    queue.run_repeating(  # at once: an instance is counted (and may lead) from its first beat
        renew_lease,
        interval=renew_every,
        first=0.1,
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


def _schedule_sending(queue: JobQueue[Any], parts: JobParts) -> None:
    """The digest tick on the minute (new digests) and every DIGEST_TICK_SECONDS (retries, and
    digests a stopped instance left), both running the one ticker, whose lock keeps them from
    overlapping; and the alert tick every ALERT_TICK_SECONDS."""
    alert_seconds = parts.services.settings.alert_tick_seconds
    queue.run_repeating(
        alert_tick,
        interval=alert_seconds,
        first=0.7,
        name=ALERT_TICK,
        data=parts,
        job_kwargs=_late(alert_seconds),
    )
    queue.run_custom(
        digest_tick, job_kwargs={**EVERY_MINUTE, **_late(60)}, name=DIGEST_MINUTE, data=parts
    )
    seconds = parts.services.settings.digest_tick_seconds
    queue.run_repeating(
        digest_tick,
        interval=seconds,
        first=0.5,
        name=DIGEST_TICK,
        data=parts,
        job_kwargs=_late(seconds),
    )


def _late(interval: float) -> dict[str, Any]:
    """A late run happens once (coalesced) instead of being skipped or repeated."""
    return {"misfire_grace_time": max(int(interval), 1), "coalesce": True, "max_instances": 1}


def _parts(context: BotContext) -> JobParts:
    job = context.job
    if job is None or not isinstance(job.data, JobParts):
        raise RuntimeError("a bot job was scheduled without its JobParts")
    return job.data


def _everyone_sends(parts: JobParts) -> bool:
    """On PostgreSQL every instance sends (claims skip locked rows); SQLite runs one sender."""
    return parts.services.database.dialect == "postgresql"


def _sends(parts: JobParts) -> bool:
    """Whether this instance sends digests and alerts now: the leader on SQLite; on
    PostgreSQL every instance, once the others have counted it and while its own heartbeats
    succeed (so the rate stays shared: `Instances.counted`)."""
    if _everyone_sends(parts):
        return parts.lease.instances.counted(parts.services.clock.now())
    return parts.lease.held


async def digest_tick(context: BotContext) -> None:
    """Claim and send the digests that are due."""
    parts = _parts(context)
    if not _sends(parts):
        return

    def alive() -> None:
        parts.heartbeats.ticked(parts.services.clock.now())

    await parts.digests.tick(alive=alive)
    alive()


async def alert_tick(context: BotContext) -> None:
    """Send the due alerts; the leader first claims alerts for new urgent stories."""
    parts = _parts(context)
    if _sends(parts):
        await parts.digests.alerts.tick(plan=parts.lease.held)


async def source_tick(context: BotContext) -> None:
    """Poll the sources that are due (the leader); operators hear of each source paused."""
    parts = _parts(context)
    if not parts.lease.held:
        return
    results = await parts.sources.tick()
    # A tick that found a round still running counts too: the scheduler is alive.
    parts.heartbeats.polled(parts.services.clock.now())
    for result in results:
        if result.paused:
            await tell_operators(context.bot, parts.services, result)


async def renew_lease(context: BotContext) -> None:
    """Keep or take the lead, heartbeat, and (PostgreSQL) take this instance's rate share.

    A leader that lost the lease stops the process on SQLite, so two never send; on
    PostgreSQL it goes on sending as one of the instances (`run` stops its polling).
    """
    parts = _parts(context)
    led = parts.lease.leading
    leads = await parts.lease.acquire()
    live = await parts.lease.instances.beat()
    if _everyone_sends(parts) and isinstance(context.bot.rate_limiter, SharedRateLimiter):
        context.bot.rate_limiter.share(live)
    if not led or leads:
        return
    if not _everyone_sends(parts):
        logger.error("lost the sender lease to another instance; stopping")
        parts.stop.set()
        return
    logger.warning("lost the sender lease to another instance; sending on, leading no more")


async def keep_house(context: BotContext) -> None:
    """Prune old articles, keep the database's statistics fresh, write the nightly backup."""
    parts = _parts(context)
    if parts.lease.held:
        await housekeeping(parts.services)


async def update_gauges(context: BotContext) -> None:
    """Refresh the metric gauges (chats, sources, digests due) from the database (the
    leader: one instance's figures, not one per instance)."""
    parts = _parts(context)
    if parts.lease.held:
        await refresh_gauges(parts.services.database)
