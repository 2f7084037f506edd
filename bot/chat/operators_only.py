"""Commands for the operators (ADMIN_USER_IDS): anyone else gets the unknown-command reply."""

from __future__ import annotations

from functools import wraps

from telegram import Update

from bot.chat.common import Callback, Context, chat_ref, reply, texts_for
from bot.settings import Settings


def is_operator(settings: Settings, update: Update) -> bool:
    """Whether the update's sender is one of the bot's operators."""
    user = update.effective_user
    return user is not None and user.id in settings.admin_user_ids


def operators_only(callback: Callback) -> Callback:
    """Run `callback` for operators; reply exactly as to an unknown command for anyone else."""

    @wraps(callback)
    async def guarded(update: Update, context: Context) -> None:
        ref = chat_ref(update)
        if ref is None:
            return
        if not is_operator(context.services.settings, update):
            services = context.services
            texts = await texts_for(services, ref)
            await reply(update, texts("unknown.command"))
            return
        await callback(update, context)

    return guarded
