"""Replies to the settings commands: what was set, and when the next digest comes."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.i18n import BoundTranslator
from bot.usecases.settings import ChatSettings


def next_digest(texts: BoundTranslator, settings: ChatSettings) -> str:
    """When the next digest comes, in the chat's local time (or that none is scheduled)."""
    chat = settings.chat
    if chat.paused:
        return texts("settings.paused")
    if chat.next_due_at is None:
        return texts("schedule.none")
    local = chat.next_due_at.astimezone(ZoneInfo(chat.timezone))
    return texts("schedule.next", when=local.strftime("%d.%m.%Y %H:%M"), zone=chat.timezone)


def with_next_digest(texts: BoundTranslator, settings: ChatSettings, done: str) -> str:
    """A schedule change confirmed, then when the next digest comes."""
    return f"{done}\n{next_digest(texts, settings)}"
