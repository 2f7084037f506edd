"""Schedule and chat settings: /time, /timezone, /frequency, /pause, /resume, /lang, /nonews,
/official, /stop."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.chat import keyboards, screens
from bot.chat.common import Context, Reply, answers, command, texts_for
from bot.chat.groups import admin_only
from bot.chat.menus import set_chat_commands
from bot.chat.replies import frequency_label
from bot.chat.settings_replies import with_next_digest
from bot.domain.schedule_input import parse_clock_time, parse_frequency
from bot.domain.timezones import canonical_zone
from bot.i18n import BoundTranslator
from bot.usecases import settings as chat_settings
from bot.usecases.chats import ChatRef


def _on_off(args: str) -> bool | None:
    """`on` → True, `off` → False, anything else (or nothing) → None."""
    words = args.split()
    return {"on": True, "off": False}.get(words[0].lower() if words else "")


@answers
async def set_time(context: Context, ref: ChatRef, args: str) -> Reply:
    """/time 8 | 08:30 | 20.30: the local time of the daily digest."""
    at = parse_clock_time(" ".join(args.split()))
    settings = await chat_settings.set_time(context.services, ref, at)
    texts = context.services.texts(settings.language)
    if not settings.applied:
        return Reply(texts("time.usage", time=settings.chat.digest_time))
    return Reply(
        with_next_digest(texts, settings, texts("time.set", time=settings.chat.digest_time))
    )


@answers
async def set_zone(context: Context, ref: ChatRef, args: str) -> Reply:
    """/timezone <IANA name>: the zone digest times are read in."""
    zone = canonical_zone(" ".join(args.split())) if args else None
    settings = await chat_settings.set_zone(context.services, ref, zone)
    texts = context.services.texts(settings.language)
    if not settings.applied:
        usage = texts("timezone.usage", zone=settings.chat.timezone)
        return Reply(usage, keyboards.zones(settings.chat.timezone))
    return Reply(
        with_next_digest(texts, settings, texts("timezone.set", zone=settings.chat.timezone))
    )


@answers
async def set_frequency(context: Context, ref: ChatRef, args: str) -> Reply:
    """/frequency daily | weekdays | weekly <day> | off."""
    choice = parse_frequency(args.split()) if args else None
    settings = await chat_settings.set_frequency(context.services, ref, choice)
    texts = context.services.texts(settings.language)
    if not settings.applied:
        return Reply(texts("frequency.usage"), screens.frequencies(texts).keyboard)
    chosen = frequency_label(texts, settings.chat.frequency, settings.chat.weekly_day)
    return Reply(with_next_digest(texts, settings, texts("frequency.set", frequency=chosen)))


@answers
async def pause(context: Context, ref: ChatRef, args: str) -> Reply:
    """/pause: no digests until /resume."""
    settings = await chat_settings.pause(context.services, ref)
    texts = context.services.texts(settings.language)
    return Reply(texts("pause.done" if settings.applied else "pause.already"))


@answers
async def resume(context: Context, ref: ChatRef, args: str) -> Reply:
    """/resume: digests again; the next one covers what was missed."""
    settings = await chat_settings.resume(context.services, ref)
    texts = context.services.texts(settings.language)
    done = texts("resume.done" if settings.applied else "resume.already")
    return Reply(with_next_digest(texts, settings, done))


@answers
async def language(context: Context, ref: ChatRef, args: str) -> Reply:
    """/lang [en|ru|kk]: the language of every reply, keyboard and the command menu."""
    words = args.split()
    wanted = (words[0].lower() if words else "").replace("kz", "kk")
    settings = await chat_settings.set_language(context.services, ref, wanted)
    texts = context.services.texts(settings.language)
    if not settings.applied:
        screen = screens.choose_language(texts)
        return Reply(screen.text, screen.keyboard)
    chat = settings.chat
    await set_chat_commands(context.bot, context.services, chat_id=chat.id, language=chat.language)
    return Reply(texts("lang.changed"))


def _switched(texts: BoundTranslator, key: str, asked: bool | None, *, now: bool) -> Reply:
    """The reply to an on|off setting: what it now is, or its usage with its state."""
    if asked is None:
        state = texts(f"{key}.state_on" if now else f"{key}.state_off")
        return Reply(texts(f"{key}.usage", state=state))
    return Reply(texts(f"{key}.on" if asked else f"{key}.off"))


@answers
async def no_news_note(context: Context, ref: ChatRef, args: str) -> Reply:
    """/nonews on|off: whether a day without news sends a short note instead of nothing."""
    on = _on_off(args)
    settings = await chat_settings.set_no_news_note(context.services, ref, on)
    texts = context.services.texts(settings.language)
    return _switched(texts, "nonews", on, now=settings.chat.no_news_note)


@answers
async def official_only(context: Context, ref: ChatRef, args: str) -> Reply:
    """/official on|off: digests from official sources only (akimats, ministries), or all."""
    on = _on_off(args)
    settings = await chat_settings.set_official_only(context.services, ref, on)
    texts = context.services.texts(settings.language)
    return _switched(texts, "official", on, now=settings.chat.official_only)


@answers
async def stop(context: Context, ref: ChatRef, args: str) -> Reply:
    """/stop: forget this chat, after a confirmation button."""
    texts = await texts_for(context.services, ref)
    return Reply(texts("stop.confirm"), keyboards.confirm_stop(texts))


HANDLERS: list[BaseHandler[Update, Context, None]] = [
    command("time", admin_only(set_time)),
    command("timezone", admin_only(set_zone)),
    command("frequency", admin_only(set_frequency)),
    command("pause", admin_only(pause)),
    command("resume", admin_only(resume)),
    command(["lang", "language"], admin_only(language)),
    command("nonews", admin_only(no_news_note)),
    command("official", admin_only(official_only)),
    command("stop", admin_only(stop)),
]
