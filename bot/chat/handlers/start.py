"""/start: onboarding for a new chat, settings for a known one, deep-link subscriptions."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.chat import screens
from bot.chat.common import Context, Reply, answers, command
from bot.chat.groups import admin_only
from bot.chat.replies import subscription_outcome
from bot.usecases import onboarding
from bot.usecases.chats import ChatRef


@answers
async def start(context: Context, ref: ChatRef, args: str) -> Reply:
    """/start [payload]: welcome, settings, or subscribe from a deep link."""
    words = args.split()
    started = await onboarding.start(context.services, ref, words[0] if words else "")
    texts = context.services.texts(started.chat.language)
    if started.outcome is not None:
        return Reply(subscription_outcome(texts, started.outcome, added=True))
    if started.opening == "welcome":
        screen = screens.welcome(texts)
    else:
        screen = screens.summary(texts, started.chat, started.subscriptions, finished=False)
    return Reply(screen.text, screen.keyboard)


HANDLERS: list[BaseHandler[Update, Context, None]] = [command("start", admin_only(start))]
