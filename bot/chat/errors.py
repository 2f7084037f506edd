"""The one error handler: log unexpected errors with context (never the token), tell the user."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot.chat.common import Context, chat_ref
from bot.usecases.chats import language_of
from bot.usecases.services import Services

logger = logging.getLogger(__name__)


def error_handler(services: Services) -> Callable[[object, Context], Coroutine[Any, Any, None]]:
    async def on_error(update: object, context: Context) -> None:
        """Log with the update's ids; reply briefly where a reply is possible."""
        error = context.error
        if not isinstance(update, Update):
            logger.error("error outside an update: %s", error, exc_info=error)
            return
        ref = chat_ref(update)
        logger.error(
            "update failed update_id=%s chat=%s error=%s",
            update.update_id,
            ref.chat_id if ref else None,
            type(error).__name__,
            exc_info=error,
        )
        if ref is None or isinstance(error, Forbidden):
            return
        try:
            texts = services.texts(await language_of(services, ref))
            if update.callback_query is not None:
                await update.callback_query.answer(texts("error.generic"))
            elif update.effective_message is not None:
                await update.effective_message.reply_text(texts("error.generic"), do_quote=False)
        except TelegramError as reply_error:
            logger.warning("could not tell the user about an error: %s", reply_error)

    return on_error
