"""`newsdigest run`: the bot — long polling, the digest tick, housekeeping — until SIGTERM.

Only the holder of the sender lease polls and sends; a second instance on the same database
stands by and takes over when the lease expires. SIGTERM drains: digests being sent finish
and are recorded, nothing new starts, and the lease is released.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from datetime import time

from telegram.ext import ContextTypes

from bot.chat.application import BuiltBot, build_bot
from bot.chat.lifecycle import start_bot, stop_bot
from bot.chat.notify import tell_operators
from bot.clock import Clock
from bot.commands.common import load_tagger, open_database
from bot.delivery.housekeeping import housekeeping
from bot.delivery.lease import SenderLease
from bot.delivery.ticker import DigestTicker
from bot.i18n import default_translator
from bot.settings import Settings
from bot.usecases.services import Services
from bot.usecases.sources import load_defaults

logger = logging.getLogger(__name__)
HOUSEKEEPING_AT = time(3, 30)


async def run_command(settings: Settings, clock: Clock) -> int:
    """Serve until a stop signal; the token is checked before anything starts."""
    token = settings.require_token()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signal_number, stop.set)
    async with open_database(settings.database_url) as database:
        services = Services(database, clock, settings, default_translator(), load_tagger())
        lease = SenderLease(database, clock, seconds=settings.lease_seconds)
        if not await _wait_for_lease(lease, stop):
            return 0
        async with database.write() as session:
            await load_defaults(session, services)
        bot = build_bot(services, token=token)
        ticker = DigestTicker(services, bot.runtime.sender)
        _schedule_jobs(bot, services, ticker, lease, stop)
        await start_bot(bot.application, services)
        logger.info("bot running; stop with SIGTERM or Ctrl-C")
        try:
            await stop.wait()
        finally:
            logger.info("stopping: finishing digests in flight, starting nothing new")
            bot.runtime.sender.stopping = True
            await ticker.idle()
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


def _schedule_jobs(
    bot: BuiltBot,
    services: Services,
    ticker: DigestTicker,
    lease: SenderLease,
    stop: asyncio.Event,
) -> None:
    """A few fixed jobs, never one per chat: the schedule lives in the database."""
    queue = bot.application.job_queue
    if queue is None:
        raise RuntimeError("python-telegram-bot was installed without the job-queue extra")
    tick_every = services.settings.digest_tick_seconds

    async def tick(_: ContextTypes.DEFAULT_TYPE) -> None:
        await ticker.tick()

    async def renew(_: ContextTypes.DEFAULT_TYPE) -> None:
        if not await lease.acquire():
            logger.error("lost the sender lease to another instance; stopping")
            stop.set()

    async def keep_house(_: ContextTypes.DEFAULT_TYPE) -> None:
        await housekeeping(services)

    async def poll_sources(context: ContextTypes.DEFAULT_TYPE) -> None:
        for result in await bot.runtime.poller.poll_due():
            if result.paused:
                await tell_operators(context.bot, services, result)

    # A late tick runs once (coalesced) instead of being skipped or repeated.
    late = {"misfire_grace_time": max(int(tick_every), 1), "coalesce": True, "max_instances": 1}
    queue.run_repeating(tick, interval=tick_every, first=0.5, name="digest-tick", job_kwargs=late)
    queue.run_repeating(
        renew,
        interval=lease.seconds / 3,
        first=lease.seconds / 3,
        name="sender-lease",
        job_kwargs=late,
    )
    queue.run_daily(
        keep_house,
        time=HOUSEKEEPING_AT.replace(tzinfo=services.settings.zone),
        name="housekeeping",
        job_kwargs=late,
    )
