"""Commands for the operators (ADMIN_USER_IDS): anyone else gets the unknown-command reply."""

from __future__ import annotations

from telegram import Update

from bot.chat.common import Callback, Context, chat_ref, reply
from bot.i18n import BoundTranslator
from bot.services import Services
from bot.usecases.chats import language_of


def operators_only(services: Services, callback: Callback) -> Callback:
    """Run `callback` for operators; reply exactly as to an unknown command for anyone else."""
    operators = frozenset(services.settings.admin_user_ids)

    async def guarded(update: Update, context: Context) -> None:
        ref = chat_ref(update)
        user = update.effective_user
        if ref is None:
            return
        if user is None or user.id not in operators:
            await reply(update, (await texts_for(services, update))("unknown.command"))
            return
        await callback(update, context)

    guarded.__doc__ = callback.__doc__
    return guarded


async def texts_for(services: Services, update: Update) -> BoundTranslator:
    """The catalogue in the language of the chat an update comes from."""
    ref = chat_ref(update)
    return services.texts(await language_of(services, ref) if ref else "en")
