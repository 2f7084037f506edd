"""The one error handler: log unexpected errors with context (never the token), tell the user."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Update
from telegram.error import Forbidden, RetryAfter, TelegramError

from bot.chat.common import Context, chat_ref, texts_for
from bot.metrics.registry import METRICS
from bot.services import Services
from bot.usecases.chats import ChatRef

logger = logging.getLogger(__name__)


def retry_seconds(error: RetryAfter) -> float:
    """Telegram's wait in seconds (python-telegram-bot gives a timedelta or, older, an int)."""
    after = error.retry_after
    return after.total_seconds() if isinstance(after, timedelta) else float(after)


def log_flood_limit(chat_id: int | None, error: RetryAfter, *, update_id: int | None) -> None:
    """A 429 is Telegram pacing us, not a bug: one line, no traceback."""
    logger.warning(
        "flood limit chat=%s retry_after=%s update_id=%s",
        chat_id,
        retry_seconds(error),
        update_id,
    )


async def on_error(update: object, context: Context) -> None:
    """The one error handler: log with the update's ids; reply briefly where possible.

    After a 429 nothing is sent: a reply to the same chat would meet the same 429.
    """
    METRICS.handler_errors.inc()
    error = context.error
    ref = chat_ref(update) if isinstance(update, Update) else None
    chat_id = ref.chat_id if ref else None
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, RetryAfter):
        log_flood_limit(chat_id, error, update_id=update_id)
        return
    if not isinstance(update, Update):
        logger.error("error outside an update: %s", error, exc_info=error)
        return
    logger.error(
        "update failed update_id=%s chat=%s error=%s",
        update_id,
        chat_id,
        type(error).__name__,
        exc_info=error,
    )
    if ref is not None and not isinstance(error, Forbidden):
        await _tell_user(context.services, update, ref)


async def _tell_user(services: Services, update: Update, ref: ChatRef) -> None:
    """One short apology; if Telegram refuses it, it is logged, never retried."""
    try:
        texts = await texts_for(services, ref)
        if update.callback_query is not None:
            await update.callback_query.answer(texts("error.generic"))
        elif update.effective_message is not None:
            await update.effective_message.reply_text(texts("error.generic"), do_quote=False)
    except RetryAfter as error:
        log_flood_limit(ref.chat_id, error, update_id=update.update_id)
    except TelegramError as error:
        logger.warning("could not tell the user about an error: %s", error)
