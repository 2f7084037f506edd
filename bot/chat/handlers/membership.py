"""The bot's own membership: added to a group (greet), removed or muted (pause), migrations."""

from __future__ import annotations

import logging

from telegram import ChatMemberAdministrator, ChatMemberRestricted, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import BaseHandler, ChatMemberHandler, MessageHandler, filters

from bot.chat.common import Context
from bot.chat.runtime import Runtime
from bot.delivery import chat_schedule
from bot.services import Services
from bot.usecases import chats as chat_use
from bot.usecases.chats import ChatRef
from storage.queries import chats as chat_queries

logger = logging.getLogger(__name__)
_PRESENT = frozenset(
    {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}
)


def can_post(update: Update) -> bool:
    """Whether the bot's new membership lets it post there."""
    change = update.my_chat_member
    if change is None:
        return False
    member = change.new_chat_member
    if isinstance(member, ChatMemberRestricted):
        return member.is_member and member.can_send_messages
    if change.chat.type == ChatType.CHANNEL:
        return isinstance(member, ChatMemberAdministrator) and bool(member.can_post_messages)
    return member.status in _PRESENT


def handlers(services: Services, runtime: Runtime) -> list[BaseHandler[Update, Context, None]]:
    async def on_my_membership(update: Update, context: Context) -> None:
        """Removed, kicked, muted or blocked: pause; added back: resume (settings are kept)."""
        change = update.my_chat_member
        if change is None:
            return
        chat = change.chat
        posting = can_post(update)
        was_present = change.old_chat_member.status in _PRESENT or (
            isinstance(change.old_chat_member, ChatMemberRestricted)
            and change.old_chat_member.is_member
        )
        ref = ChatRef(
            chat.id, chat.type, chat.title or chat.full_name or "", change.from_user.language_code
        )
        runtime.guard.forget(chat.id)
        async with services.database.write() as session:
            row, _ = await chat_use.open_chat(session, services, ref)
            chat_schedule.set_reachable(row, posting, services.clock.now())
        logger.info("membership chat=%s can_post=%s", chat.id, posting)
        if posting and not was_present and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
            texts = services.texts(row.language)
            await context.bot.send_message(
                chat.id, texts("group.welcome", bot=context.bot.username)
            )

    async def on_migration(update: Update, context: Context) -> None:
        """A group became a supergroup: its settings follow it to the new id."""
        message = update.effective_message
        if message is None:
            return
        if message.migrate_to_chat_id:
            old, new = message.chat.id, message.migrate_to_chat_id
        elif message.migrate_from_chat_id:
            old, new = message.migrate_from_chat_id, message.chat.id
        else:
            return
        async with services.database.write() as session:
            moved = await chat_queries.migrate_chat(session, old_id=old, new_id=new)
        logger.info("chat migrated old=%s new=%s moved=%s", old, new, moved)

    return [
        ChatMemberHandler(on_my_membership, ChatMemberHandler.MY_CHAT_MEMBER),
        MessageHandler(filters.StatusUpdate.MIGRATE, on_migration),
    ]
