"""Small helpers every handler shares: who is talking, and replying once."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import CommandHandler, ContextTypes, filters

from bot.usecases.chats import ChatRef

Context = ContextTypes.DEFAULT_TYPE


def chat_ref(update: Update) -> ChatRef | None:
    """The chat an update comes from, with the sender's language code (None for odd updates)."""
    chat = update.effective_chat
    if chat is None:
        return None
    user = update.effective_user
    return ChatRef(
        chat_id=chat.id,
        chat_type=chat.type,
        title=chat.title or chat.full_name or "",
        language_code=user.language_code if user else None,
    )


def command_text(message: Message) -> str:
    """The arguments of a command message: its text after `/command` (or `/command@bot`)."""
    text = message.text or ""
    first, _, rest = text.partition(" ")
    return rest.strip() if first.startswith("/") else text.strip()


async def reply(
    update: Update, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Answer the update's message with one message (HTML is the application default)."""
    message = update.effective_message
    if message is None:
        return None
    return await message.reply_text(text, reply_markup=keyboard, do_quote=False)


def command(
    names: str | list[str],
    callback: Callable[[Update, Context], Coroutine[Any, Any, None]],
    *,
    block: bool = True,
) -> CommandHandler[Context, None]:
    """A command handler for new messages only: editing an old command does not run it again.

    Updates are handled one at a time; `block=False` is for a command that may take long
    (polling sources), so everyone else is answered meanwhile.
    """
    return CommandHandler(names, callback, filters=filters.UpdateType.MESSAGE, block=block)
