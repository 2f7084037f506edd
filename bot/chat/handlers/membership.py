"""The bot's own membership: added to a group (greet), removed or muted (pause), migrations."""

from __future__ import annotations

import logging

from telegram import ChatMember, ChatMemberAdministrator, ChatMemberRestricted, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import BaseHandler, ChatMemberHandler, MessageHandler, filters

from bot.chat.common import Context
from bot.usecases import membership as membership_use
from bot.usecases.chats import ChatRef

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


def _present(member: ChatMember) -> bool:
    """Whether a membership is one in the chat (a restricted member may still be in it)."""
    return member.status in _PRESENT or (
        isinstance(member, ChatMemberRestricted) and member.is_member
    )


async def on_my_membership(update: Update, context: Context) -> None:
    """Removed, kicked, muted or blocked: pause; added back: resume (settings are kept)."""
    change = update.my_chat_member
    if change is None:
        return
    chat, posting = change.chat, can_post(update)
    title = chat.title or chat.full_name or ""
    ref = ChatRef(chat.id, chat.type, title, change.from_user.language_code)
    context.runtime.guard.forget(chat.id)
    changed = await membership_use.bot_membership_changed(
        context.services, ref, can_post=posting, was_present=_present(change.old_chat_member)
    )
    logger.info("membership chat=%s can_post=%s", chat.id, posting)
    if changed.greet:
        texts = context.services.texts(changed.language)
        await context.bot.send_message(chat.id, texts("group.welcome", bot=context.bot.username))


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
    moved = await membership_use.migrate(context.services, old_id=old, new_id=new)
    logger.info("chat migrated old=%s new=%s moved=%s", old, new, moved)


HANDLERS: list[BaseHandler[Update, Context, None]] = [
    ChatMemberHandler(on_my_membership, ChatMemberHandler.MY_CHAT_MEMBER),
    MessageHandler(filters.StatusUpdate.MIGRATE, on_migration),
]
