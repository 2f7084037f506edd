"""Channels: linked from a private chat by an administrator, then managed from there."""

from __future__ import annotations

from telegram import Chat as TelegramChat
from telegram import ChatMemberAdministrator, MessageOriginChannel, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.chat.common import Context, chat_ref, command, reply, texts_for
from bot.domain.telegram_html import Html, fit_lines
from bot.domain.user_input import NAME_MAX_CHARS, parse_natural, quote_input
from bot.i18n import BoundTranslator
from bot.usecases import channels as channel_use

_ADMINS = frozenset({ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR})
_MAX_CHAT_ID = 2**63 - 1  # Telegram's chat ids fit a signed 64-bit integer


def _chat_reference(name: str) -> str:
    """/channel's argument as getChat takes it: a numeric id, or an @username (what a number
    too long to be an id becomes too: a username no chat has)."""
    if name.startswith("@"):
        return name
    if parse_natural(name.removeprefix("-"), maximum=_MAX_CHAT_ID) is not None:
        return name
    return f"@{name}"


def _title(title: str) -> Html:
    """A chat's title as a reply quotes it: escaped and shortened."""
    return quote_input(title, limit=NAME_MAX_CHARS)


async def _channel_facts(
    context: Context, channel: TelegramChat | str, user_id: int
) -> channel_use.ChannelFacts | None:
    """What Telegram says of the chat and of both memberships; None when it will not say."""
    bot = context.bot
    try:
        found = channel if isinstance(channel, TelegramChat) else await bot.get_chat(channel)
        bot_member = await bot.get_chat_member(found.id, bot.id)
        user_member = await bot.get_chat_member(found.id, user_id)
    except (BadRequest, Forbidden):
        return None
    return channel_use.ChannelFacts(
        chat_id=found.id,
        title=found.title or str(found.id),
        is_channel=found.type == ChatType.CHANNEL,
        bot_can_post=isinstance(bot_member, ChatMemberAdministrator)
        and bool(bot_member.can_post_messages),
        user_is_admin=user_member.status in _ADMINS,
    )


async def _link(update: Update, context: Context, channel: TelegramChat | str) -> None:
    """Check both administrators (the user's and the bot's rights), then link and manage."""
    ref, user = chat_ref(update), update.effective_user
    if ref is None or user is None:
        return
    facts = await _channel_facts(context, channel, user.id)
    linking = await channel_use.link(context.services, ref, user.id, facts)
    texts = context.services.texts(linking.language)
    await reply(update, texts(linking.key, title=_title(linking.title)))


def _managing_text(texts: BoundTranslator, managing: channel_use.Managing) -> str:
    """The chat now managed; with the user's channels and the usage when nothing changed."""
    if managing.title is None:
        current = texts("channel.managing_self")
    else:
        current = texts("channel.managing", title=_title(managing.title))
    if managing.changed:
        return current
    names = Html(", ".join(_title(title) for title in managing.channels) or "—")
    return fit_lines([current, texts("channel.usage", channels=names)])


async def channel_command(update: Update, context: Context) -> None:
    """/channel @name: link a channel (both of you administrators) and manage it from here."""
    ref, services = chat_ref(update), context.services
    if ref is None:
        return
    if ref.chat_type != ChatType.PRIVATE:
        await reply(update, (await texts_for(services, ref))("channel.private_only"))
        return
    user = update.effective_user
    if user is not None and context.args:
        await _link(update, context, _chat_reference(context.args[0]))
    elif user is not None:
        managing = await channel_use.manage(services, ref, user.id, "")
        await reply(update, _managing_text(services.texts(managing.language), managing))


async def forwarded_post(update: Update, context: Context) -> None:
    """A post forwarded from a (private) channel links that channel, like /channel."""
    message = update.effective_message
    if message is None or not isinstance(message.forward_origin, MessageOriginChannel):
        return
    await _link(update, context, message.forward_origin.chat)


async def manage(update: Update, context: Context) -> None:
    """/manage me | @channel: which chat the settings commands here act on."""
    ref, user = chat_ref(update), update.effective_user
    if ref is None or user is None or ref.chat_type != ChatType.PRIVATE:
        return
    wanted = context.args[0] if context.args else ""
    managing = await channel_use.manage(context.services, ref, user.id, wanted)
    await reply(update, _managing_text(context.services.texts(managing.language), managing))


HANDLERS: list[BaseHandler[Update, Context, None]] = [
    command("channel", channel_command),
    command("manage", manage),
    MessageHandler(
        filters.ChatType.PRIVATE & filters.FORWARDED & filters.UpdateType.MESSAGE, forwarded_post
    ),
]
