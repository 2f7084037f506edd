"""/help, unknown commands, and everything that is not a command."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.chat.common import Context, Reply, answers, chat_ref, command, reply, texts_for
from bot.usecases.chats import ChatRef


@answers
async def help_command(context: Context, ref: ChatRef, args: str) -> Reply:
    """/help: what the bot does and every command, in the chat's language."""
    texts = await texts_for(context.services, ref)
    return Reply(texts("help.text"))


async def unknown_command(update: Update, context: Context) -> None:
    """A command the bot does not know; in groups only when addressed to this bot."""
    ref = chat_ref(update)
    message = update.effective_message
    if ref is None or message is None:
        return
    first_word = (message.text or "").split(maxsplit=1)[0] if message.text else ""
    if ref.chat_type != ChatType.PRIVATE and f"@{context.bot.username}" not in first_word:
        return
    texts = await texts_for(context.services, ref)
    await reply(update, texts("unknown.command"))


@answers
async def not_a_command(context: Context, ref: ChatRef, args: str) -> Reply | None:
    """Text, stickers, photos in a private chat: a hint; in groups the bot stays quiet."""
    if ref.chat_type != ChatType.PRIVATE:
        return None
    texts = await texts_for(context.services, ref)
    return Reply(texts("unknown.message"))


HANDLERS: list[BaseHandler[Update, Context, None]] = [
    command("help", help_command),
    MessageHandler(filters.COMMAND & filters.UpdateType.MESSAGE, unknown_command),
    MessageHandler(filters.UpdateType.MESSAGE & ~filters.COMMAND, not_a_command),
]
