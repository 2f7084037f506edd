"""What a chat follows: /subscribe, /unsubscribe, /mysubs, /regions, /topics."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.chat import keyboards, screens
from bot.chat.common import Context, chat_ref, command, command_text, reply
from bot.chat.replies import label, subscription_outcome, subscriptions_list
from bot.chat.runtime import Runtime
from bot.usecases import subscriptions as subscribing
from bot.usecases.chats import open_target
from bot.usecases.services import Services
from storage.queries import chats as chat_queries


def handlers(services: Services, runtime: Runtime) -> list[BaseHandler[Update, Context, None]]:
    async def change(update: Update, *, add: bool) -> None:
        ref = chat_ref(update)
        message = update.effective_message
        if ref is None or message is None:
            return
        request = subscribing.read_request(services.gazetteer, command_text(message))
        async with services.database.write() as session:
            _, chat = await open_target(session, services, ref)
            outcome = await subscribing.apply(session, services, chat, request, add=add)
        await reply(update, subscription_outcome(services.texts(chat.language), outcome, added=add))

    async def subscribe(update: Update, context: Context) -> None:
        """/subscribe karaganda transport "water tariff" -football."""
        await change(update, add=True)

    async def unsubscribe(update: Update, context: Context) -> None:
        """/unsubscribe <the same kinds of names>."""
        await change(update, add=False)

    async def my_subscriptions(update: Update, context: Context) -> None:
        """/mysubs: everything followed, with a button to remove each."""
        ref = chat_ref(update)
        if ref is None:
            return
        async with services.database.write() as session:
            _, chat = await open_target(session, services, ref)
            current = await chat_queries.subscriptions_of(session, chat_id=chat.id)
        texts = services.texts(chat.language)
        items = [(s, label(texts, s.kind, s.value)) for s in current]
        await reply(
            update, subscriptions_list(texts, current), keyboards.subscriptions(texts, items)
        )

    async def keyboard(update: Update, *, regions: bool) -> None:
        ref = chat_ref(update)
        if ref is None:
            return
        async with services.database.write() as session:
            _, chat = await open_target(session, services, ref)
            current = await chat_queries.subscriptions_of(session, chat_id=chat.id)
        texts = services.texts(chat.language)
        show = screens.regions if regions else screens.topics
        screen = show(texts, current, onboarding=False)
        await reply(update, screen.text, screen.keyboard)

    async def region_keyboard(update: Update, context: Context) -> None:
        """/regions: the regions keyboard."""
        await keyboard(update, regions=True)

    async def topic_keyboard(update: Update, context: Context) -> None:
        """/topics: the topics keyboard."""
        await keyboard(update, regions=False)

    return [
        command("subscribe", runtime.guard.admin_only(subscribe)),
        command("unsubscribe", runtime.guard.admin_only(unsubscribe)),
        command("mysubs", runtime.guard.admin_only(my_subscriptions)),
        command("regions", runtime.guard.admin_only(region_keyboard)),
        command("topics", runtime.guard.admin_only(topic_keyboard)),
    ]
