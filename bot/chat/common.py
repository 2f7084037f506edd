"""Small helpers every handler shares: who is talking, the command's words, replying once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from functools import wraps
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import CommandHandler, filters

from bot.chat.context import BotContext
from bot.i18n import BoundTranslator
from bot.services import Services
from bot.usecases.chats import ChatRef, language_of

Context = BotContext
Callback = Callable[[Update, Context], Coroutine[Any, Any, None]]


@dataclass(frozen=True, slots=True)
class Reply:
    """One message back: Telegram HTML and, perhaps, a keyboard."""

    text: str
    keyboard: InlineKeyboardMarkup | None = None


Asked = Callable[[Context, ChatRef, str], Awaitable[Reply | None]]


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
    parts = text.split(maxsplit=1)  # `/time\n8` too: any whitespace ends the command
    if not parts or not parts[0].startswith("/"):
        return text.strip()
    return parts[1].strip() if len(parts) > 1 else ""


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
    callback: Callback,
    *,
    block: bool = True,
) -> CommandHandler[Context, None]:
    """A command handler for new messages only: editing an old command does not run it again.

    Updates are handled one at a time; `block=False` is for a command that may take long
    (polling sources), so everyone else is answered meanwhile.
    """
    return CommandHandler(names, callback, filters=filters.UpdateType.MESSAGE, block=block)


def answers(asked: Asked) -> Callback:
    """A command handler from `asked(context, chat, arguments)`: the prologue every command
    shares (who is talking, the words after the command) and the one reply it returns."""

    @wraps(asked)
    async def handle(update: Update, context: Context) -> None:
        ref = chat_ref(update)
        message = update.effective_message
        if ref is None or message is None:
            return
        answer = await asked(context, ref, command_text(message))
        if answer is not None:
            await reply(update, answer.text, answer.keyboard)

    return handle


async def texts_for(services: Services, ref: ChatRef) -> BoundTranslator:
    """The catalogue in the chat's language (its user's, before first contact)."""
    return services.texts(await language_of(services, ref))
