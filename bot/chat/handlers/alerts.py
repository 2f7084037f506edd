"""Urgent alerts: /alerts on|off and /quiet 22:00-07:00|off, for the chat or the channel it
manages; in groups only administrators change them."""

from __future__ import annotations

from typing import Final

from telegram import Update
from telegram.ext import BaseHandler

from bot.chat import alerts_replies, screens
from bot.chat.common import Context, Reply, answers, command
from bot.chat.groups import admin_only
from bot.domain.quiet_hours import QuietHoursError, parse_quiet_hours
from bot.domain.user_input import quote_input
from bot.services import Services
from bot.usecases import settings as chat_settings
from bot.usecases.chats import ChatRef

# What may follow /alerts and /quiet to switch, in the three languages (a Russian or Kazakh
# keyboard is one tap away from the Latin one).
_SWITCH: Final[dict[str, bool]] = {
    "on": True,
    "вкл": True,
    "включить": True,
    "қосу": True,
    "off": False,
    "выкл": False,
    "выключить": False,
    "өшіру": False,
}


def _switch(args: str) -> bool | None:
    """`on` → True, `off` → False (also вкл/выкл, қосу/өшіру); anything else → None."""
    return _SWITCH.get(" ".join(args.split()).casefold())


@answers
async def alerts(context: Context, ref: ChatRef, args: str) -> Reply:
    """/alerts on|off: urgent news of the chat's regions right away; alone, the state and
    buttons; anything else is not understood, and says so above them."""
    on = _switch(args)
    settings = await chat_settings.set_alerts(context.services, ref, on)
    texts = context.services.texts(settings.language)
    if on is not None:
        return Reply(alerts_replies.alerts_switched(texts, settings.chat, settings.subscriptions))
    cap = context.services.settings.alert_daily_cap
    screen = screens.alerts(texts, settings.chat, settings.subscriptions, cap=cap)
    if not args:
        return Reply(screen.text, screen.keyboard)
    refusal = texts("alerts.unknown", words=quote_input(args))
    return Reply(f"{refusal}\n\n{screen.text}", screen.keyboard)


@answers
async def quiet(context: Context, ref: ChatRef, args: str) -> Reply:
    """/quiet 22:00-07:00 (local, the end exclusive) or /quiet off; alone, the quiet hours now."""
    services = context.services
    if not args:
        return await _quiet_help(services, ref)
    try:
        hours = None if _switch(args) is False else parse_quiet_hours(args)
    except QuietHoursError as error:
        return await _quiet_help(services, ref, error)
    settings = await chat_settings.set_quiet_hours(services, ref, hours)
    return Reply(alerts_replies.quiet_set(services.texts(settings.language), settings.chat))


async def _quiet_help(
    services: Services, ref: ChatRef, error: QuietHoursError | None = None
) -> Reply:
    """The quiet hours now, or what was wrong; then how to set them, in the chat's zone."""
    current = await chat_settings.settings_of(services, ref)
    texts = services.texts(current.language)
    return Reply(alerts_replies.quiet_help(texts, current.chat, error))


HANDLERS: list[BaseHandler[Update, Context, None]] = [
    command("alerts", admin_only(alerts)),
    command("quiet", admin_only(quiet)),
]
