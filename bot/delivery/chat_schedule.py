"""When a chat's next digest is due, from its stored time, zone and frequency."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.domain.schedule import next_due
from storage.models import Chat


def clock_time(value: str) -> time:
    """A stored HH:MM digest time."""
    hours, _, minutes = value.partition(":")
    return time(int(hours), int(minutes or 0))


def schedule_of(chat: Chat, now: datetime) -> datetime | None:
    """The chat's next due instant from now, per its time, zone and frequency."""
    return next_due(
        now,
        local_time=clock_time(chat.digest_time),
        zone=ZoneInfo(chat.timezone),
        frequency=chat.frequency,
        weekly_day=chat.weekly_day,
    )


def set_reachable(chat: Chat, reachable: bool, now: datetime) -> None:
    """The bot was removed, blocked or muted there (digests pause), or may post again."""
    if reachable and chat.blocked:
        chat.blocked = False
        chat.next_due_at = schedule_of(chat, now)
    elif not reachable:
        chat.blocked = True
    chat.updated_at = now
