"""/start: onboarding for a new chat, settings for a known one, deep-link subscriptions."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.chat import screens
from bot.chat.common import Context, chat_ref, command, reply
from bot.chat.replies import subscription_outcome
from bot.chat.runtime import Runtime
from bot.domain.name_resolution import parse_deep_link_payload
from bot.services import Services
from bot.usecases import subscriptions as subscribing
from bot.usecases.chats import open_chat
from storage.queries import chats as chat_queries


def handlers(services: Services, runtime: Runtime) -> list[BaseHandler[Update, Context, None]]:
    async def start(update: Update, context: Context) -> None:
        """/start [payload]: welcome, settings, or subscribe from a deep link."""
        ref = chat_ref(update)
        if ref is None:
            return
        payload = context.args[0] if context.args else ""
        async with services.database.write() as session:
            chat, created = await open_chat(session, services, ref)
            subscriptions = await chat_queries.subscriptions_of(session, chat_id=chat.id)
            outcome = None
            if payload:
                targets = parse_deep_link_payload(services.gazetteer, payload)
                request = subscribing.Request(items=[(t.kind, t.slug) for t in targets])
                outcome = await subscribing.apply(session, services, chat, request, add=True)
        texts = services.texts(chat.language)
        if outcome is not None and (outcome.changed or outcome.unchanged):
            await reply(update, subscription_outcome(texts, outcome, added=True))
        elif created or not subscriptions:
            screen = screens.welcome(texts)
            await reply(update, screen.text, screen.keyboard)
        else:
            screen = screens.summary(texts, chat, subscriptions, finished=False)
            await reply(update, screen.text, screen.keyboard)

    return [command("start", runtime.guard.admin_only(start))]
