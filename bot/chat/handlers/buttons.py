"""Inline-button presses: decoded by the codec, answered always, applied to the chat."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import CallbackQuery, Message, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.chat import keyboards, screens
from bot.chat.actions import (
    Action,
    AnswerSourceOffer,
    AnswerStop,
    ChooseFrequency,
    ChooseLanguage,
    ChooseTime,
    ChooseZone,
    Noop,
    Onboarding,
    OpenSettings,
    RemoveSubscription,
    ToggleRegion,
    ToggleTopic,
    is_destructive,
)
from bot.chat.callback_data import ForgedCallback, OutdatedCallback, unpack
from bot.chat.common import Context, chat_ref
from bot.chat.handlers.sources import answer_offer
from bot.chat.menus import set_chat_commands
from bot.chat.replies import label, subscriptions_list
from bot.chat.runtime import Runtime
from bot.digests.interests import REGION, TOPIC
from bot.services import Services
from bot.usecases import chats as chat_use
from bot.usecases import subscriptions as subscribing
from storage.models import Chat, Subscription
from storage.queries import chats as chat_queries

logger = logging.getLogger(__name__)
# How long "yes, forget this chat" stays pressable after it was shown.
CONFIRMATION_TTL = timedelta(minutes=5)


def _offered(query: CallbackQuery) -> list[object]:
    """The callback data of the pressed message's keyboard as it is now (the update carries it):
    a button an edit replaced, or one never shown, is not among them."""
    message = query.message
    markup = message.reply_markup if isinstance(message, Message) else None
    if markup is None:
        return []
    return [button.callback_data for row in markup.inline_keyboard for button in row]


def _onboarding(query: CallbackQuery) -> bool:
    """Whether the pressed keyboard is an onboarding step (it has next/back buttons)."""
    for data in _offered(query):
        try:
            if isinstance(unpack(data), Onboarding):
                return True
        except ForgedCallback:
            continue
    return False


def _accepted(query: CallbackQuery, now: datetime) -> Action | str:
    """The action a press asks for, or the message key saying why it changes nothing: data we
    did not produce, a button the pressed message does not offer (replayed after an edit
    replaced it, or never shown), or a destructive confirmation older than CONFIRMATION_TTL."""
    try:
        action = unpack(query.data)
    except OutdatedCallback:
        return "button.outdated"
    except ForgedCallback:
        return "button.invalid"
    if query.data not in _offered(query):
        return "button.outdated"
    message = query.message
    # Telegram's clock and ours may differ a little: a confirmation "from the future" is fresh.
    if (
        is_destructive(action)
        and isinstance(message, Message)
        and now - (message.edit_date or message.date) > CONFIRMATION_TTL
    ):
        return "button.expired"
    return action


def handlers(services: Services, runtime: Runtime) -> list[BaseHandler[Update, Context, None]]:
    async def on_button(update: Update, context: Context) -> None:
        """Any inline button: forged, replayed or expired presses are answered, change nothing."""
        query = update.callback_query
        ref = chat_ref(update)
        if query is None or ref is None:
            return
        action = _accepted(query, services.clock.now())
        if isinstance(action, str):
            logger.info("button refused chat_id=%s reason=%s", ref.chat_id, action)
            language = await chat_use.language_of(services, ref)
            await query.answer(services.texts(language)(action))
            return
        if isinstance(action, AnswerSourceOffer):  # the bot's operators, not the chat's admins
            await answer_offer(services, runtime, update, action)
            return
        if not await runtime.guard.is_admin(update, context):
            language = await chat_use.language_of(services, ref)
            await query.answer(services.texts(language)("group.admins_only"), show_alert=True)
            return
        async with services.database.write() as session:
            _, chat = await chat_use.open_target(session, services, ref)
            screen, note = await _apply(session, services, chat, action, _onboarding(query))
            subscriptions = await chat_queries.subscriptions_of(session, chat_id=chat.id)
            if screen is None:
                screen = screens.summary(
                    services.texts(chat.language), chat, subscriptions, finished=False
                )
        await _show(query, screen)
        if isinstance(action, ChooseLanguage):
            await set_chat_commands(context.bot, services, chat_id=chat.id, language=chat.language)
        await query.answer(note)

    return [CallbackQueryHandler(on_button)]


async def _show(query: CallbackQuery, screen: screens.Screen) -> None:
    """Edit the pressed message in place; an unchanged screen is not an error."""
    try:
        await query.edit_message_text(screen.text, reply_markup=screen.keyboard)
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            raise


async def _apply(
    session: AsyncSession,
    services: Services,
    chat: Chat,
    action: Action,
    onboarding: bool,
) -> tuple[screens.Screen | None, str | None]:
    """Change what the button asks for; the screen to show next and a short note."""
    now = services.clock.now()
    texts = services.texts(chat.language)
    subscriptions = await chat_queries.subscriptions_of(session, chat_id=chat.id)
    if isinstance(action, ChooseLanguage):
        chat_use.set_language(chat, action.language, now)
        texts = services.texts(chat.language)
        if not subscriptions:
            return screens.regions(texts, subscriptions, onboarding=True), None
        return None, texts("lang.changed")
    if isinstance(action, ToggleRegion | ToggleTopic):
        kind = REGION if isinstance(action, ToggleRegion) else TOPIC
        await subscribing.toggle(session, services, chat, kind=kind, value=action.slug)
        subscriptions = await chat_queries.subscriptions_of(session, chat_id=chat.id)
        matches = await subscribing.recent_matches(session, services, chat)
        show = screens.regions if kind == REGION else screens.topics
        return show(texts, subscriptions, onboarding=onboarding, matches=matches), None
    if isinstance(action, Onboarding):
        return _step(services, chat, subscriptions, action), None
    if isinstance(action, ChooseTime):
        chat_use.set_schedule(chat, now, digest_time=action.at)
        return screens.summary(texts, chat, subscriptions, finished=True), None
    if isinstance(action, ChooseFrequency):
        chat_use.set_schedule(chat, now, frequency=action.frequency, weekly_day=action.weekly_day)
        return None, None
    if isinstance(action, ChooseZone):
        chat_use.set_schedule(chat, now, timezone=action.zone)
        return None, None
    if isinstance(action, OpenSettings):
        return _settings(services, chat, subscriptions, action), None
    if isinstance(action, RemoveSubscription):
        removed = await chat_queries.remove_subscription_by_id(
            session, chat_id=chat.id, subscription_id=action.subscription_id
        )
        remaining = await chat_queries.subscriptions_of(session, chat_id=chat.id)
        note = (
            texts("mysubs.removed", name=label(texts, removed.kind, removed.value))
            if removed
            else texts("button.outdated")
        )
        items = [(s, label(texts, s.kind, s.value)) for s in remaining]
        text: str = subscriptions_list(texts, remaining)
        if removed is not None:
            matches = await subscribing.recent_matches(session, services, chat)
            text = f"{text}\n\n{texts('subscribe.preview', count=matches)}"
        return screens.Screen(text, keyboards.subscriptions(texts, items)), note
    if isinstance(action, AnswerStop):
        if action.confirm:
            await chat_use.forget(session, chat_id=chat.id)
            return screens.Screen(texts("stop.done")), None
        return screens.Screen(texts("stop.cancelled")), None
    if isinstance(action, Noop):
        return None, None
    raise AssertionError(f"unhandled action {action!r}")


def _step(
    services: Services, chat: Chat, subscriptions: Sequence[Subscription], action: Onboarding
) -> screens.Screen:
    texts = services.texts(chat.language)
    if action.step == "regions":
        if action.move == "back":
            return screens.choose_language(texts)
        return screens.topics(texts, subscriptions, onboarding=True)
    if action.step == "topics":
        if action.move == "back":
            return screens.regions(texts, subscriptions, onboarding=True)
        return screens.times(texts, chat, services.default_time)
    if action.step == "time" and action.move == "back":
        return screens.topics(texts, subscriptions, onboarding=True)
    return screens.summary(texts, chat, subscriptions, finished=True)


def _settings(
    services: Services, chat: Chat, subscriptions: Sequence[Subscription], action: OpenSettings
) -> screens.Screen | None:
    texts = services.texts(chat.language)
    if action.item == "language":
        return screens.choose_language(texts)
    if action.item == "regions":
        return screens.regions(texts, subscriptions, onboarding=False)
    if action.item == "topics":
        return screens.topics(texts, subscriptions, onboarding=False)
    if action.item == "time":
        return screens.times(texts, chat, services.default_time)
    if action.item == "frequency":
        return screens.frequencies(texts)
    return None
