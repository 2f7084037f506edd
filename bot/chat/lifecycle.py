"""Starting and stopping the bot the same way in `run`, the playground and the tests.

The handlers and the intake of updates start separately: every instance of `newsdigest run`
answers updates (in webhook mode each one behind the load balancer), but only one instance at a
time may long-poll, since Telegram ends a second `getUpdates` with 409 Conflict.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from telegram import Update
from telegram.ext import Application, Updater

from bot.chat.menus import set_default_commands
from bot.services import Services
from bot.settings import Settings, host_and_port

logger = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


async def start_bot(
    application: AnyApplication,
    services: Services,
    *,
    poll_interval: float = 0.0,
    poll_timeout: int = 10,
) -> None:
    """Handlers and long polling: one bot on its own (the playground and the tests)."""
    await start_handlers(application, services)
    await start_polling(application, poll_interval=poll_interval, poll_timeout=poll_timeout)


async def start_handlers(application: AnyApplication, services: Services) -> None:
    """Initialise, publish the command menus and start processing the update queue."""
    await application.initialize()
    await set_default_commands(application.bot, services)
    await application.start()


async def start_polling(
    application: AnyApplication, *, poll_interval: float = 0.0, poll_timeout: int = 10
) -> None:
    """Long-poll updates into the queue; PTB deletes any webhook first (Telegram allows one
    intake), so switching a bot back from webhook mode needs nothing else."""
    await _updater(application).start_polling(
        poll_interval=poll_interval, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
    )


async def stop_polling(application: AnyApplication) -> None:
    """Stop long polling only (a leader that lost the lease); the handlers go on. Never in
    webhook mode: the updater's stop would close the webhook server."""
    if application.updater is not None and application.updater.running:
        await application.updater.stop()


async def start_webhook(application: AnyApplication, settings: Settings) -> None:
    """Serve PTB's webhook server on WEBHOOK_LISTEN and point Telegram at WEBHOOK_URL.

    PTB refuses (403) every request whose `X-Telegram-Bot-Api-Secret-Token` header is missing
    or differs from WEBHOOK_SECRET. Every instance sets the same webhook, which is harmless;
    pending updates are kept, and stopping never deletes the webhook the others still serve.
    """
    if settings.webhook_url is None or settings.webhook_secret is None:
        raise RuntimeError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
    host, port = host_and_port(settings.webhook_listen)
    path = urlsplit(settings.webhook_url).path or "/"
    await _updater(application).start_webhook(
        listen=host,
        port=port,
        url_path=path,
        webhook_url=settings.webhook_url,
        secret_token=settings.webhook_secret.get_secret_value(),
        allowed_updates=Update.ALL_TYPES,
        drop_pending_updates=False,
    )
    logger.info("webhook server listening on=%s path=%s", settings.webhook_listen, path)


async def stop_bot(application: AnyApplication) -> None:
    """Stop the intake (polling or the webhook server), let running handlers finish, release
    the HTTP client. The webhook stays set at Telegram: other instances still serve it."""
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()


def _updater(application: AnyApplication) -> Updater:
    if application.updater is None:
        raise RuntimeError("the application was built without an updater")
    return application.updater
