"""Who is talking and which chat it is about: first contact, a managed channel, the language."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.chat_schedule import schedule_of
from bot.domain.taxonomy import LANGUAGES
from bot.services import Services
from storage.models import Chat
from storage.queries import chats as chat_queries


@dataclass(frozen=True, slots=True)
class ChatRef:
    """Who is talking: the Telegram chat's id, type and title, and the user's language code."""

    chat_id: int
    chat_type: str
    title: str = ""
    language_code: str | None = None


def language_for(language_code: str | None, default: str) -> str:
    """The chat language a Telegram language code suggests ("ru-RU" → ru), else the default."""
    code = (language_code or "").split("-")[0].lower()
    return code if code in LANGUAGES else default


async def open_chat(session: AsyncSession, services: Services, ref: ChatRef) -> tuple[Chat, bool]:
    """The chat, created with the defaults on first contact; a user who writes is not blocked."""
    now = services.clock.now()
    chat = await chat_queries.get_chat(session, chat_id=ref.chat_id)
    if chat is not None:
        if chat.blocked:
            chat.blocked = False
            chat.next_due_at = schedule_of(chat, now)
            chat.updated_at = now
        return chat, False
    settings = services.settings
    chat = Chat(
        id=ref.chat_id,
        type=ref.chat_type,
        title=ref.title,
        language=language_for(ref.language_code, settings.default_language),
        timezone=settings.default_timezone,
        digest_time=settings.default_digest_time.strftime("%H:%M"),
        created_at=now,
        updated_at=now,
    )
    chat.next_due_at = schedule_of(chat, now)
    return await chat_queries.create_chat(session, chat=chat), True


async def open_target(session: AsyncSession, services: Services, ref: ChatRef) -> tuple[Chat, Chat]:
    """The chat talking and the chat its settings commands act on (a managed channel, or itself)."""
    chat, _ = await open_chat(session, services, ref)
    if chat.managed_chat_id is not None:
        managed = await chat_queries.get_chat(session, chat_id=chat.managed_chat_id)
        if managed is not None:
            return chat, managed
        chat.managed_chat_id = None
    return chat, chat


async def language_of(services: Services, ref: ChatRef) -> str:
    """The chat's language, or the one its user's Telegram suggests before first contact."""
    async with services.database.read() as session:
        chat = await chat_queries.get_chat(session, chat_id=ref.chat_id)
    if chat is not None:
        return chat.language
    return language_for(ref.language_code, services.settings.default_language)
