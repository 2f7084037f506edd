"""A chat's settings: schedule, language, pause, notes, official sources, urgent alerts and
their quiet hours, and being forgotten.

A command and the button for the same setting call the same function here. Each opens its own
transaction on the chat its settings commands act on (a managed channel, or itself) and returns
the settings as they now are, with what the chat follows, for the reply or the next screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from functools import partial

from bot.delivery.chat_schedule import schedule_of
from bot.domain.quiet_hours import QuietHours
from bot.domain.schedule import Frequency
from bot.domain.taxonomy import LANGUAGES
from bot.services import Services
from bot.usecases.chats import ChatRef, open_target
from storage.models import Chat, Subscription
from storage.queries import chats as chat_queries

# Changes one chat's row at `now`; whether the request was carried out.
Decision = Callable[[Chat, datetime], bool]


@dataclass(frozen=True, slots=True)
class ChatSettings:
    """The chat's settings after a request, what it follows, and whether the request was
    carried out (False: it asked for nothing understood, or for what already was)."""

    chat: Chat
    subscriptions: list[Subscription]
    applied: bool = False

    @property
    def language(self) -> str:
        return self.chat.language


async def settings_of(services: Services, ref: ChatRef) -> ChatSettings:
    """The settings as they are; first contact opens the chat."""
    return await _decide(services, ref, _keep)


async def set_time(services: Services, ref: ChatRef, at: time | None) -> ChatSettings:
    """/time and the time buttons: the local time of the digest (None: keep it)."""
    return await _decide(services, ref, partial(_reschedule, digest_time=at))


async def set_zone(services: Services, ref: ChatRef, zone: str | None) -> ChatSettings:
    """/timezone and the zone buttons: the canonical zone digest times are read in (None: keep)."""
    return await _decide(services, ref, partial(_reschedule, timezone=zone))


async def set_frequency(
    services: Services, ref: ChatRef, choice: tuple[Frequency, int | None] | None
) -> ChatSettings:
    """/frequency and its buttons: daily, weekdays, weekly on a day (0 = Monday), or off."""
    return await _decide(services, ref, partial(_reschedule, frequency=choice))


async def set_language(services: Services, ref: ChatRef, language: str) -> ChatSettings:
    """/lang and the language buttons: the language of every reply (an unknown one changes
    nothing)."""
    return await _decide(services, ref, partial(_new_language, language=language))


async def pause(services: Services, ref: ChatRef) -> ChatSettings:
    """/pause: no digests until resumed; not applied when already paused."""
    return await _decide(services, ref, _pause)


async def resume(services: Services, ref: ChatRef) -> ChatSettings:
    """/resume: digests again from the next due time; the watermark makes it cover what was
    missed. Not applied when not paused."""
    return await _decide(services, ref, _resume)


async def set_no_news_note(services: Services, ref: ChatRef, on: bool | None) -> ChatSettings:
    """/nonews: whether a day without news sends a short note instead of nothing (None: keep)."""
    return await _decide(services, ref, partial(_no_news_note, on=on))


async def set_official_only(services: Services, ref: ChatRef, on: bool | None) -> ChatSettings:
    """/official: digests from official sources only (gov.kz, akimats, ministries), or from
    every source (None: keep)."""
    return await _decide(services, ref, partial(_official_only, on=on))


async def set_alerts(services: Services, ref: ChatRef, on: bool | None) -> ChatSettings:
    """/alerts and its buttons: urgent local alerts for the chat's regions, or none (None: keep).
    Not applied when it already was so."""
    return await _decide(services, ref, partial(_alerts, on=on))


async def set_quiet_hours(
    services: Services, ref: ChatRef, quiet: QuietHours | None
) -> ChatSettings:
    """/quiet: the local hours alerts wait through (None: none, alerts come at any hour)."""
    return await _decide(services, ref, partial(_quiet_hours, quiet=quiet))


async def forget(services: Services, ref: ChatRef) -> str:
    """The confirmed /stop: delete the chat's settings and subscriptions (the delivery ledger
    stays); the language to say so in."""
    async with services.database.write() as session:
        _, chat = await open_target(session, services, ref)
        language = chat.language
        await chat_queries.delete_chat(session, chat_id=chat.id)
    return language


async def _decide(services: Services, ref: ChatRef, decision: Decision) -> ChatSettings:
    """One transaction: open the chat, apply the decision, read what the chat follows."""
    async with services.database.write() as session:
        _, chat = await open_target(session, services, ref)
        applied = decision(chat, services.clock.now())
        subscriptions = await chat_queries.subscriptions_of(session, chat_id=chat.id)
    return ChatSettings(chat, list(subscriptions), applied)


def _keep(chat: Chat, now: datetime) -> bool:
    return False


def _reschedule(
    chat: Chat,
    now: datetime,
    *,
    digest_time: time | None = None,
    timezone: str | None = None,
    frequency: tuple[Frequency, int | None] | None = None,
) -> bool:
    """Change the part of the schedule asked for and recompute when the next digest is due."""
    if digest_time is None and timezone is None and frequency is None:
        return False
    if digest_time is not None:
        chat.digest_time = digest_time.strftime("%H:%M")
    if timezone is not None:
        chat.timezone = timezone
    if frequency is not None:
        chat.frequency, weekly_day = frequency
        if chat.frequency == "weekly":
            chat.weekly_day = weekly_day
    chat.next_due_at = schedule_of(chat, now)
    chat.updated_at = now
    return True


def _new_language(chat: Chat, now: datetime, *, language: str) -> bool:
    if language not in LANGUAGES:
        return False
    chat.language = language
    chat.updated_at = now
    return True


def _pause(chat: Chat, now: datetime) -> bool:
    if chat.paused:
        return False
    chat.paused = True
    chat.updated_at = now
    return True


def _resume(chat: Chat, now: datetime) -> bool:
    if not chat.paused:
        return False
    chat.paused = False
    chat.next_due_at = schedule_of(chat, now)
    chat.updated_at = now
    return True


def _no_news_note(chat: Chat, now: datetime, *, on: bool | None) -> bool:
    if on is None:
        return False
    chat.no_news_note = on
    chat.updated_at = now
    return True


def _official_only(chat: Chat, now: datetime, *, on: bool | None) -> bool:
    if on is None:
        return False
    chat.official_only = on
    chat.updated_at = now
    return True


def _alerts(chat: Chat, now: datetime, *, on: bool | None) -> bool:
    if on is None or chat.alerts == on:
        return False
    chat.alerts = on
    chat.updated_at = now
    return True


def _quiet_hours(chat: Chat, now: datetime, *, quiet: QuietHours | None) -> bool:
    chat.quiet_start, chat.quiet_end = quiet.stored() if quiet is not None else (None, None)
    chat.updated_at = now
    return True
