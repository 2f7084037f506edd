"""`newsdigest run`: the bot — updates, the digest, alert and source ticks, housekeeping (the
jobs of `bot.jobs`) — until SIGTERM.

Every instance starts its handlers and schedules the jobs at once; each job decides by the
instance's role (`SenderLease.held`) whether to act. In webhook mode on PostgreSQL every
instance answers the updates the load balancer sends it, from the start (on SQLite, the one
acting instance, once it leads). The holder of the sender lease, the leader,
alone long-polls updates (without a webhook: Telegram allows one poller), polls sources and
keeps house; digests and alerts are sent by the leader on SQLite, by every instance on
PostgreSQL. The others stand by, and one takes over when the lease expires. SIGTERM drains:
digests being sent finish and are recorded, a round of source polls is cancelled, nothing new
starts, and the lease is released."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from bot.chat.application import BuiltBot, build_bot
from bot.chat.lifecycle import (
    start_handlers,
    start_polling,
    start_webhook,
    stop_bot,
    stop_polling,
)
from bot.clock import Clock
from bot.commands.common import load_tagger, open_database
from bot.delivery.lease import SenderLease
from bot.delivery.ticker import DigestTicker
from bot.i18n import default_translator
from bot.ingest.ticker import SourceTicker
from bot.jobs import JobParts, schedule_jobs
from bot.metrics.health import Heartbeats
from bot.metrics.listener import serving
from bot.services import Services
from bot.settings import Settings
from bot.usecases.sources import load_defaults

logger = logging.getLogger(__name__)


async def run_command(settings: Settings, clock: Clock) -> int:
    """Serve until a stop signal; the token is checked before anything starts."""
    token = settings.require_token()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signal_number, stop.set)
    heartbeats = Heartbeats()
    async with (
        open_database(settings.database_url) as database,
        serving(settings, clock, heartbeats),  # a standby answers /healthz too
    ):
        services = Services(database, clock, settings, default_translator(), load_tagger())
        lease = SenderLease(database, clock, seconds=settings.lease_seconds)
        bot = build_bot(services, token=token)
        digests = DigestTicker(services, bot.runtime.sender)
        sources = SourceTicker(bot.runtime.poller)
        parts = JobParts(services, digests, sources, lease, stop, heartbeats)
        try:
            # Inside the try: a token Telegram refuses still releases the lease and closes
            # the HTTP clients and parsing workers.
            await _serve(bot, parts)
        finally:
            await _drain(bot, parts)
    return 0


async def _serve(bot: BuiltBot, parts: JobParts) -> None:
    """Answer updates and run the jobs at once, then lead whenever the lease is ours, until
    told to stop."""
    services = parts.services
    settings = services.settings
    await start_handlers(bot.application, services)
    # On SQLite one instance acts (a standby answering /digest would be a second sender), so
    # its webhook server starts when it leads; on PostgreSQL every instance answers at once.
    webhook_now = settings.webhook_url is not None and services.database.dialect != "sqlite"
    if webhook_now:
        await start_webhook(bot.application, settings)
    schedule_jobs(bot.application, parts)  # each job acts by this instance's role
    if services.database.dialect == "postgresql":  # every instance sends its share
        parts.heartbeats.become_sharing(services.clock.now())
    loaded = False
    while await _wait_for_lease(parts.lease, parts.stop):
        if not loaded:  # the source pack, into an empty database: one writer, the leader
            async with services.database.write() as session:
                await load_defaults(session, services)
            if settings.webhook_url is not None and not webhook_now:
                await start_webhook(bot.application, settings)
            loaded = True
        await _lead(bot, parts)


async def _lead(bot: BuiltBot, parts: JobParts) -> None:
    """Long-poll updates (without a webhook) while this instance holds the lease.

    A leader whose renewal failed (PostgreSQL: another instance took over) stops polling, since
    Telegram allows one poller; it goes on answering webhook updates and sending, and leads
    again when it wins the lease back.
    """
    polling = parts.services.settings.webhook_url is None
    if polling:
        await start_polling(bot.application)
    parts.heartbeats.become_sender(parts.services.clock.now())  # its ticks are judged from now
    logger.info("leading: %s; stop with SIGTERM or Ctrl-C", "polling" if polling else "webhook")
    await _while_held(parts.lease, parts.stop)
    if parts.stop.is_set():
        return
    logger.info("no longer leading: another instance holds the sender lease")
    parts.heartbeats.become_standby()
    if polling:
        await stop_polling(bot.application)


async def _drain(bot: BuiltBot, parts: JobParts) -> None:
    """Finish what is in flight, start nothing new, hand the lease on."""
    logger.info("stopping: finishing digests in flight, starting nothing new")
    bot.runtime.sender.stopping = True
    await parts.sources.stop()
    await parts.digests.idle()
    await stop_bot(bot.application)
    await bot.runtime.close()
    await parts.lease.release()


async def _wait_for_lease(lease: SenderLease, stop: asyncio.Event) -> bool:
    """Stand by until this instance holds the sender lease (False if told to stop first); the
    lease announces standing by."""
    while not stop.is_set():
        if await lease.acquire():
            return True
        await _pause(stop, lease.seconds / 3)
    return False


async def _while_held(lease: SenderLease, stop: asyncio.Event) -> None:
    """Return once told to stop or once the lease is no longer held (the renewal job keeps it)."""
    while not stop.is_set() and lease.held:
        await _pause(stop, lease.seconds / 6)


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=max(seconds, 0.2))
