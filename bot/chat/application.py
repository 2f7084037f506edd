"""Builds the python-telegram-bot Application: defaults, rate limiter, handlers, error handler."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import Application, Defaults, TypeHandler

from bot.chat.common import Context
from bot.chat.context import CONTEXT_TYPES, BotData
from bot.chat.errors import on_error
from bot.chat.groups import GroupGuard
from bot.chat.handlers import (
    alerts,
    buttons,
    channels,
    forum,
    help,
    membership,
    operators,
    reading,
    settings,
    sources,
    start,
    subscriptions,
)
from bot.chat.runtime import Runtime
from bot.chat.telegram_http import AiohttpRequest
from bot.delivery.rate import SharedRateLimiter
from bot.delivery.sender import Sender
from bot.ingest.http_client import source_client
from bot.ingest.parse_worker import ParsingPool
from bot.ingest.poller import SourcePoller
from bot.metrics.registry import METRICS
from bot.services import Services
from bot.settings import Settings

BotApplication = Application[Any, Any, Any, Any, Any, Any]
# Before every other group, counting only: a group's handler never stops the groups after it.
COUNTING_GROUP = -2
# Handler modules in dispatch order; `help` holds the catch-alls, so it comes last.
HANDLER_MODULES = (
    start, subscriptions, settings, alerts, reading, channels, forum, operators, sources,
    membership, buttons, help,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class BuiltBot:
    """The Application and the running parts the scheduler shares with the handlers."""

    application: BotApplication
    runtime: Runtime


def rate_limiter(settings: Settings) -> SharedRateLimiter:
    """Telegram's limits as settings; RetryAfter is re-raised so the sender waits as told.

    Overall, one message per 1/rate seconds (no first burst), paid broadcasts included: above
    30/s only with PAID_BROADCAST (settings). Several instances on PostgreSQL each take their
    share of the rate (bot/jobs.py). In a group the burst is Telegram's own allowance (20 a
    minute), and the command throttle keeps room for it.
    """
    return SharedRateLimiter(
        per_second=settings.rate_overall_per_second,
        group_per_minute=settings.rate_group_per_minute,
    )


def update_kind(update: Update) -> str | None:
    """What an update is counted as in newsdigest_updates_total (None: not counted)."""
    if update.callback_query is not None:
        return "callback"
    if update.my_chat_member is not None or update.chat_member is not None:
        return "member"
    message = update.message or update.channel_post
    if message is not None and (message.text or "").startswith("/"):
        return "command"
    return None


async def count_update(update: Update, _context: Context) -> None:
    """Count each update by kind, before the guard may throttle it."""
    kind = update_kind(update)
    if kind is not None:
        METRICS.updates.labels(kind=kind).inc()


# Connections to the Bot API for everything but getUpdates (PTB's own default): enough for
# SEND_CONCURRENCY senders of digests and alerts beside the replies to updates.
BOT_API_CONNECTIONS = 256


def build_bot(services: Services, *, token: str) -> BuiltBot:
    """The bot as `newsdigest run`, the playground and the end-to-end tests run it."""
    base_url = services.settings.telegram_api_base_url
    application = (
        Application.builder()
        .token(token)
        .base_url(base_url)
        .base_file_url(base_url.replace("/bot", "/file/bot"))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(rate_limiter(services.settings))
        .request(AiohttpRequest(connections=BOT_API_CONNECTIONS))
        .get_updates_request(AiohttpRequest(connections=1))
        .context_types(CONTEXT_TYPES)
        .build()
    )
    http = source_client(services.settings)
    parsing = ParsingPool(services.settings.parse_workers)  # workers start on first poll
    runtime = Runtime(
        guard=GroupGuard(services),
        sender=Sender(application.bot, services),
        poller=SourcePoller(services, http, parsing),
        http=http,
        parsing=parsing,
    )
    bot_data: BotData = application.bot_data
    bot_data.bind(services, runtime)
    application.add_handler(TypeHandler(Update, count_update), group=COUNTING_GROUP)
    application.add_handler(TypeHandler(Update, runtime.guard.throttle_commands), group=-1)
    for module in HANDLER_MODULES:
        application.add_handlers(module.HANDLERS)
    application.add_error_handler(on_error)
    return BuiltBot(application, runtime)
