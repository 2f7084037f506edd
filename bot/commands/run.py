"""`newsdigest run`: the bot — long polling, the digest and source ticks, housekeeping (the jobs
of `bot.jobs`) — until SIGTERM.

Only the holder of the sender lease polls sources and sends digests; a second instance on the
same database stands by and takes over when the lease expires. SIGTERM drains: digests being
sent finish and are recorded, a round of source polls is cancelled, nothing new starts, and
the lease is released.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from bot.chat.application import build_bot
from bot.chat.lifecycle import start_bot, stop_bot
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
        if not await _wait_for_lease(lease, stop):
            return 0
        async with database.write() as session:
            await load_defaults(session, services)
        bot = build_bot(services, token=token)
        digests = DigestTicker(services, bot.runtime.sender)
        sources = SourceTicker(bot.runtime.poller)
        schedule_jobs(
            bot.application, JobParts(services, digests, sources, lease, stop, heartbeats)
        )
        try:
            # Inside the try: a token Telegram refuses still releases the lease and closes
            # the HTTP clients and parsing workers.
            await start_bot(bot.application, services)
            heartbeats.become_sender(clock.now())  # its ticks are judged from now on
            logger.info("bot running; stop with SIGTERM or Ctrl-C")
            await stop.wait()
        finally:
            logger.info("stopping: finishing digests in flight, starting nothing new")
            bot.runtime.sender.stopping = True
            await sources.stop()
            await digests.idle()
            await stop_bot(bot.application)
            await bot.runtime.close()
            await lease.release()
    return 0


async def _wait_for_lease(lease: SenderLease, stop: asyncio.Event) -> bool:
    """Stand by until this instance holds the sender lease (False if told to stop first)."""
    announced = False
    while not stop.is_set():
        if await lease.acquire():
            return True
        if not announced:
            logger.info("standing by: another instance holds the sender lease")
            announced = True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=max(lease.seconds / 3, 0.5))
    return False
