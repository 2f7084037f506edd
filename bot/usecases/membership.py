"""The bot's own membership of a chat: removed, blocked or muted (digests pause), added back
(they resume, settings kept), and a group that became a supergroup."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from bot.delivery import chat_schedule
from bot.services import Services
from bot.usecases.chats import ChatRef, open_chat
from storage.queries import chats as chat_queries

GROUP_TYPES: Final = frozenset({"group", "supergroup"})  # Telegram's chat types


@dataclass(frozen=True, slots=True)
class MembershipChange:
    """Whether to greet the group that just added the bot, in the chat's language."""

    language: str
    greet: bool


async def bot_membership_changed(
    services: Services, ref: ChatRef, *, can_post: bool, was_present: bool
) -> MembershipChange:
    """Digests pause where the bot may not post and resume where it may again; a group that
    has just added the bot is greeted."""
    async with services.database.write() as session:
        chat, _ = await open_chat(session, services, ref)
        chat_schedule.set_reachable(chat, can_post, services.clock.now())
    greet = can_post and not was_present and ref.chat_type in GROUP_TYPES
    return MembershipChange(chat.language, greet)


async def migrate(services: Services, *, old_id: int, new_id: int) -> bool:
    """A group became a supergroup: its settings follow it to the new id (whether they did)."""
    async with services.database.write() as session:
        return await chat_queries.migrate_chat(session, old_id=old_id, new_id=new_id)
