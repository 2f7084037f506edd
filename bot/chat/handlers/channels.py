"""Channels: linked from a private chat by an administrator, then managed from there."""

from __future__ import annotations

from telegram import Chat as TelegramChat
from telegram import ChatMemberAdministrator, MessageOriginChannel, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.chat.common import Context, chat_ref, command, reply
from bot.chat.runtime import Runtime
from bot.delivery import chat_schedule
from bot.domain.telegram_html import Html, fit_lines
from bot.domain.user_input import NAME_MAX_CHARS, parse_natural, quote_input
from bot.services import Services
from bot.usecases import chats as chat_use
from bot.usecases.chats import ChatRef
from storage.queries import chats as chat_queries

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
    return quote_input(title, limit=NAME_MAX_CHARS)


def handlers(services: Services, runtime: Runtime) -> list[BaseHandler[Update, Context, None]]:
    async def link(update: Update, context: Context, channel: TelegramChat | str) -> None:
        """Check both administrators (the user's and the bot's rights), then link and manage."""
        ref = chat_ref(update)
        user = update.effective_user
        if ref is None or user is None:
            return
        language = await chat_use.language_of(services, ref)
        texts = services.texts(language)
        try:
            found = (
                channel
                if isinstance(channel, TelegramChat)
                else await context.bot.get_chat(channel)
            )
            bot_member = await context.bot.get_chat_member(found.id, context.bot.id)
            user_member = await context.bot.get_chat_member(found.id, user.id)
        except (BadRequest, Forbidden):
            await reply(update, texts("channel.not_found"))
            return
        title = found.title or str(found.id)
        shown = _title(title)
        if found.type != ChatType.CHANNEL:
            await reply(update, texts("channel.not_found"))
        elif not (isinstance(bot_member, ChatMemberAdministrator) and bot_member.can_post_messages):
            await reply(update, texts("channel.bot_not_admin", title=shown))
        elif user_member.status not in _ADMINS:
            await reply(update, texts("channel.user_not_admin", title=shown))
        else:
            async with services.database.write() as session:
                owner, _ = await chat_use.open_chat(session, services, ref)
                target, _ = await chat_use.open_chat(
                    session,
                    services,
                    ChatRef(found.id, ChatType.CHANNEL, title, user.language_code),
                )
                target.owner_user_id = user.id
                target.title = title
                chat_schedule.set_reachable(target, True, services.clock.now())
                owner.managed_chat_id = target.id
            await reply(update, texts("channel.linked", title=shown))

    async def channel_command(update: Update, context: Context) -> None:
        """/channel @name: link a channel (both of you administrators) and manage it from here."""
        ref = chat_ref(update)
        if ref is None:
            return
        if ref.chat_type != ChatType.PRIVATE:
            texts = services.texts(await chat_use.language_of(services, ref))
            await reply(update, texts("channel.private_only"))
            return
        if not context.args:
            await manage_status(update)
            return
        await link(update, context, _chat_reference(context.args[0]))

    async def forwarded_post(update: Update, context: Context) -> None:
        """A post forwarded from a (private) channel links that channel, like /channel."""
        message = update.effective_message
        if message is None or not isinstance(message.forward_origin, MessageOriginChannel):
            return
        await link(update, context, message.forward_origin.chat)

    async def manage(update: Update, context: Context) -> None:
        """/manage me | @channel: which chat the settings commands here act on."""
        ref = chat_ref(update)
        user = update.effective_user
        if ref is None or user is None:
            return
        if ref.chat_type != ChatType.PRIVATE:
            return
        wanted = (context.args[0] if context.args else "").lstrip("@").lower()
        async with services.database.write() as session:
            owner, _ = await chat_use.open_chat(session, services, ref)
            channels = await chat_queries.channels_of(session, owner_user_id=user.id)
            texts = services.texts(owner.language)
            text: str = ""
            if wanted in ("me", "self", "я", "мен"):
                owner.managed_chat_id = None
                text = texts("channel.managing_self")
            else:
                match = [c for c in channels if wanted and wanted in (c.title.lower(), str(c.id))]
                if match:
                    owner.managed_chat_id = match[0].id
                    text = texts("channel.managing", title=_title(match[0].title))
        if text:
            await reply(update, text)
        else:
            await manage_status(update)

    async def manage_status(update: Update) -> None:
        ref = chat_ref(update)
        user = update.effective_user
        if ref is None or user is None:
            return
        async with services.database.write() as session:
            owner, target = await chat_use.open_target(session, services, ref)
            channels = await chat_queries.channels_of(session, owner_user_id=user.id)
        texts = services.texts(owner.language)
        current = (
            texts("channel.managing", title=_title(target.title))
            if target.id != owner.id
            else texts("channel.managing_self")
        )
        names = Html(", ".join(_title(c.title) for c in channels) or "—")
        await reply(update, fit_lines([current, texts("channel.usage", channels=names)]))

    private = filters.ChatType.PRIVATE
    return [
        command("channel", channel_command),
        command("manage", manage),
        MessageHandler(private & filters.FORWARDED & filters.UpdateType.MESSAGE, forwarded_post),
    ]
