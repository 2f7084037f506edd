"""/help, unknown commands, and everything that is not a command."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.chat.common import Context, chat_ref, command, reply
from bot.chat.runtime import Runtime
from bot.services import Services
from bot.usecases.chats import language_of


def handlers(services: Services, runtime: Runtime) -> list[BaseHandler[Update, Context, None]]:
    async def help_command(update: Update, context: Context) -> None:
        """/help: what the bot does and every command, in the chat's language."""
        ref = chat_ref(update)
        if ref is None:
            return
        texts = services.texts(await language_of(services, ref))
        await reply(update, texts("help.text"))

    async def unknown_command(update: Update, context: Context) -> None:
        """A command the bot does not know; in groups only when addressed to this bot."""
        ref = chat_ref(update)
        message = update.effective_message
        if ref is None or message is None:
            return
        first_word = (message.text or "").split(maxsplit=1)[0] if message.text else ""
        if ref.chat_type != ChatType.PRIVATE and f"@{context.bot.username}" not in first_word:
            return
        texts = services.texts(await language_of(services, ref))
        await reply(update, texts("unknown.command"))

    async def not_a_command(update: Update, context: Context) -> None:
        """Text, stickers, photos in a private chat: a hint; in groups the bot stays quiet."""
        ref = chat_ref(update)
        if ref is None or ref.chat_type != ChatType.PRIVATE:
            return
        texts = services.texts(await language_of(services, ref))
        await reply(update, texts("unknown.message"))

    return [
        command("help", help_command),
        MessageHandler(filters.COMMAND & filters.UpdateType.MESSAGE, unknown_command),
        MessageHandler(filters.UpdateType.MESSAGE & ~filters.COMMAND, not_a_command),
    ]
