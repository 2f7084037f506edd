"""`newsdigest run`: the bot, long-polling Telegram until SIGTERM or Ctrl-C."""

from __future__ import annotations

import asyncio
import logging
import signal

from bot.chat.application import build_application
from bot.chat.lifecycle import start_bot, stop_bot
from bot.clock import Clock
from bot.commands.common import load_tagger, open_database
from bot.i18n import default_translator
from bot.settings import Settings
from bot.usecases.services import Services

logger = logging.getLogger(__name__)


async def run_command(settings: Settings, clock: Clock) -> int:
    """Serve until a stop signal; the token is checked before anything starts."""
    token = settings.require_token()
    async with open_database(settings.database_url) as database:
        services = Services(database, clock, settings, default_translator(), load_tagger())
        application = build_application(services, token=token)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signal_number in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signal_number, stop.set)
        await start_bot(application, services)
        try:
            logger.info("bot running; stop with SIGTERM or Ctrl-C")
            await stop.wait()
            logger.info("stopping: finishing updates in progress")
        finally:
            await stop_bot(application)
    return 0
