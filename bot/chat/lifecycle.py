"""Starting and stopping the bot the same way in `run`, the playground and the tests."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.chat.menus import set_default_commands
from bot.services import Services

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


async def start_bot(
    application: AnyApplication,
    services: Services,
    *,
    poll_interval: float = 0.0,
    poll_timeout: int = 10,
) -> None:
    """Initialise, publish the command menus, start handlers and long polling."""
    await application.initialize()
    await set_default_commands(application.bot, services)
    await application.start()
    if application.updater is None:
        raise RuntimeError("the application was built without an updater")
    await application.updater.start_polling(
        poll_interval=poll_interval, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
    )


async def stop_bot(application: AnyApplication) -> None:
    """Stop polling, let running handlers finish, release the HTTP client."""
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()
