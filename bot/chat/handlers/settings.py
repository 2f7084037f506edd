"""Schedule and chat settings: /time, /timezone, /frequency, /pause, /resume, /lang, /nonews,
/official, /stop."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import BaseHandler

from bot.chat import keyboards, screens
from bot.chat.common import Callback, Context, chat_ref, command, reply
from bot.chat.menus import set_chat_commands
from bot.chat.replies import frequency_label
from bot.chat.runtime import Runtime
from bot.domain.schedule_input import parse_clock_time, parse_frequency
from bot.domain.taxonomy import LANGUAGES
from bot.domain.timezones import canonical_zone
from bot.i18n import BoundTranslator
from bot.services import Services
from bot.usecases import chats as chat_use
from storage.models import Chat


def _next_line(texts: BoundTranslator, chat: Chat) -> str:
    """When the next digest comes, in the chat's local time (or that none is scheduled)."""
    if chat.paused:
        return texts("settings.paused")
    if chat.next_due_at is None:
        return texts("schedule.none")
    local = chat.next_due_at.astimezone(ZoneInfo(chat.timezone))
    return texts("schedule.next", when=local.strftime("%d.%m.%Y %H:%M"), zone=chat.timezone)


def _on_off(args: Sequence[str] | None) -> bool | None:
    """`on` → True, `off` → False, anything else (or nothing) → None."""
    return {"on": True, "off": False}.get(args[0].lower() if args else "")


def handlers(services: Services, runtime: Runtime) -> list[BaseHandler[Update, Context, None]]:
    async def set_time(update: Update, context: Context) -> None:
        """/time 8 | 08:30 | 20.30: the local time of the daily digest."""
        ref = chat_ref(update)
        if ref is None:
            return
        at = parse_clock_time(" ".join(context.args or []))
        async with services.database.write() as session:
            _, chat = await chat_use.open_target(session, services, ref)
            if at is not None:
                chat_use.set_schedule(chat, services.clock.now(), digest_time=at)
        texts = services.texts(chat.language)
        if at is None:
            await reply(update, texts("time.usage", time=chat.digest_time))
            return
        await reply(
            update, f"{texts('time.set', time=chat.digest_time)}\n{_next_line(texts, chat)}"
        )

    async def set_zone(update: Update, context: Context) -> None:
        """/timezone <IANA name>: the zone digest times are read in."""
        ref = chat_ref(update)
        if ref is None:
            return
        zone = canonical_zone(" ".join(context.args or [])) if context.args else None
        async with services.database.write() as session:
            _, chat = await chat_use.open_target(session, services, ref)
            if zone is not None:
                chat_use.set_schedule(chat, services.clock.now(), timezone=zone)
        texts = services.texts(chat.language)
        if zone is None:
            await reply(update, texts("timezone.usage", zone=chat.timezone))
            return
        await reply(update, f"{texts('timezone.set', zone=zone)}\n{_next_line(texts, chat)}")

    async def set_frequency(update: Update, context: Context) -> None:
        """/frequency daily | weekdays | weekly <day> | off."""
        ref = chat_ref(update)
        if ref is None:
            return
        parsed = parse_frequency(list(context.args or [])) if context.args else None
        async with services.database.write() as session:
            _, chat = await chat_use.open_target(session, services, ref)
            if parsed is not None:
                frequency, day = parsed
                chat_use.set_schedule(
                    chat, services.clock.now(), frequency=frequency, weekly_day=day
                )
        texts = services.texts(chat.language)
        if parsed is None:
            screen = screens.frequencies(texts)
            await reply(update, texts("frequency.usage"), screen.keyboard)
            return
        chosen = frequency_label(texts, chat.frequency, chat.weekly_day)
        await reply(
            update, f"{texts('frequency.set', frequency=chosen)}\n{_next_line(texts, chat)}"
        )

    async def pause(update: Update, context: Context) -> None:
        """/pause: no digests until /resume."""
        ref = chat_ref(update)
        if ref is None:
            return
        async with services.database.write() as session:
            _, chat = await chat_use.open_target(session, services, ref)
            changed = chat_use.pause(chat, services.clock.now())
        texts = services.texts(chat.language)
        await reply(update, texts("pause.done" if changed else "pause.already"))

    async def resume(update: Update, context: Context) -> None:
        """/resume: digests again; the next one covers what was missed."""
        ref = chat_ref(update)
        if ref is None:
            return
        async with services.database.write() as session:
            _, chat = await chat_use.open_target(session, services, ref)
            changed = chat_use.resume(chat, services.clock.now())
        texts = services.texts(chat.language)
        text = texts("resume.done") if changed else texts("resume.already")
        await reply(update, f"{text}\n{_next_line(texts, chat)}")

    async def language(update: Update, context: Context) -> None:
        """/lang [en|ru|kk]: the language of every reply, keyboard and the command menu."""
        ref = chat_ref(update)
        if ref is None:
            return
        wanted = (context.args[0].lower() if context.args else "").replace("kz", "kk")
        async with services.database.write() as session:
            _, chat = await chat_use.open_target(session, services, ref)
            if wanted in LANGUAGES:
                chat_use.set_language(chat, wanted, services.clock.now())
        texts = services.texts(chat.language)
        if wanted not in LANGUAGES:
            await reply(update, texts("start.choose_language"), keyboards.languages())
            return
        await set_chat_commands(context.bot, services, chat_id=chat.id, language=chat.language)
        await reply(update, texts("lang.changed"))

    async def no_news_note(update: Update, context: Context) -> None:
        """/nonews on|off: whether a day without news sends a short note instead of nothing."""
        ref = chat_ref(update)
        if ref is None:
            return
        wanted = context.args[0].lower() if context.args else ""
        choice = {"on": True, "off": False}.get(wanted)
        async with services.database.write() as session:
            _, chat = await chat_use.open_target(session, services, ref)
            if choice is not None:
                chat.no_news_note = choice
                chat.updated_at = services.clock.now()
        texts = services.texts(chat.language)
        if choice is None:
            state = texts("nonews.state_on" if chat.no_news_note else "nonews.state_off")
            await reply(update, texts("nonews.usage", state=state))
            return
        await reply(update, texts("nonews.on" if choice else "nonews.off"))

    async def official_only(update: Update, context: Context) -> None:
        """/official on|off: digests from official sources only (akimats, ministries), or all."""
        ref = chat_ref(update)
        if ref is None:
            return
        choice = _on_off(context.args)
        async with services.database.write() as session:
            _, chat = await chat_use.open_target(session, services, ref)
            if choice is not None:
                chat_use.set_official_only(chat, choice, services.clock.now())
        texts = services.texts(chat.language)
        if choice is None:
            state = texts("official.state_on" if chat.official_only else "official.state_off")
            await reply(update, texts("official.usage", state=state))
            return
        await reply(update, texts("official.on" if choice else "official.off"))

    async def stop(update: Update, context: Context) -> None:
        """/stop: forget this chat, after a confirmation button."""
        ref = chat_ref(update)
        if ref is None:
            return
        language = await chat_use.language_of(services, ref)
        texts = services.texts(language)
        await reply(update, texts("stop.confirm"), keyboards.confirm_stop(texts))

    settings_commands: list[tuple[str | list[str], Callback]] = [
        ("time", set_time),
        ("timezone", set_zone),
        ("frequency", set_frequency),
        ("pause", pause),
        ("resume", resume),
        (["lang", "language"], language),
        ("nonews", no_news_note),
        ("official", official_only),
        ("stop", stop),
    ]
    return [
        command(names, runtime.guard.admin_only(callback)) for names, callback in settings_commands
    ]
