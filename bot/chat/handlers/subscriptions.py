"""What a chat follows: /subscribe, /unsubscribe, /mysubs, /regions, /topics."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.chat import keyboards, screens
from bot.chat.common import Context, Reply, answers, command
from bot.chat.groups import admin_only
from bot.chat.replies import label, subscription_outcome, subscriptions_list
from bot.usecases import subscriptions as subscribing
from bot.usecases.chats import ChatRef


@answers
async def subscribe(context: Context, ref: ChatRef, args: str) -> Reply:
    """/subscribe karaganda transport "water tariff" -football."""
    outcome = await subscribing.change(context.services, ref, args, add=True)
    texts = context.services.texts(outcome.language)
    return Reply(subscription_outcome(texts, outcome, added=True))


@answers
async def unsubscribe(context: Context, ref: ChatRef, args: str) -> Reply:
    """/unsubscribe <the same kinds of names>."""
    outcome = await subscribing.change(context.services, ref, args, add=False)
    texts = context.services.texts(outcome.language)
    return Reply(subscription_outcome(texts, outcome, added=False))


@answers
async def my_subscriptions(context: Context, ref: ChatRef, args: str) -> Reply:
    """/mysubs: everything followed, with a button to remove each."""
    followed = await subscribing.followed(context.services, ref)
    texts = context.services.texts(followed.language)
    items = [(s, label(texts, s.kind, s.value)) for s in followed.subscriptions]
    keyboard = keyboards.subscriptions(texts, items)
    return Reply(subscriptions_list(texts, followed.subscriptions), keyboard)


async def _keyboard(context: Context, ref: ChatRef, show: screens.ChoiceScreen) -> Reply:
    """A keyboard of regions or topics, what the chat follows ticked."""
    followed = await subscribing.followed(context.services, ref)
    screen = show(
        context.services.texts(followed.language), followed.subscriptions, onboarding=False
    )
    return Reply(screen.text, screen.keyboard)


@answers
async def region_keyboard(context: Context, ref: ChatRef, args: str) -> Reply:
    """/regions: the regions keyboard."""
    return await _keyboard(context, ref, screens.regions)


@answers
async def topic_keyboard(context: Context, ref: ChatRef, args: str) -> Reply:
    """/topics: the topics keyboard."""
    return await _keyboard(context, ref, screens.topics)


HANDLERS: list[BaseHandler[Update, Context, None]] = [
    command("subscribe", admin_only(subscribe)),
    command("unsubscribe", admin_only(unsubscribe)),
    command("mysubs", admin_only(my_subscriptions)),
    command("regions", admin_only(region_keyboard)),
    command("topics", admin_only(topic_keyboard)),
]
