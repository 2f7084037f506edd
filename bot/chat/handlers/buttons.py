"""Inline-button presses: decoded by the codec, checked, answered always, and carried out by
the use cases the commands share."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram import CallbackQuery, Message, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.chat import presses, screens
from bot.chat.actions import Action, AnswerSourceOffer, Onboarding, is_destructive
from bot.chat.callback_data import ForgedCallback, OutdatedCallback, unpack
from bot.chat.common import Context, chat_ref, texts_for
from bot.chat.handlers.sources import answer_offer
from bot.services import Services
from bot.usecases.chats import ChatRef

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


async def on_button(update: Update, context: Context) -> None:
    """Any inline button: forged, replayed or expired presses are answered, change nothing."""
    query, ref = update.callback_query, chat_ref(update)
    if query is None or ref is None:
        return
    action = _accepted(query, context.services.clock.now())
    if isinstance(action, str):
        logger.info("button refused chat_id=%s reason=%s", ref.chat_id, action)
        await query.answer(await _in_language(context.services, ref, action))
    elif isinstance(action, AnswerSourceOffer):  # the bot's operators, not the chat's admins
        await answer_offer(update, context, action)
    elif not await context.runtime.guard.is_admin(update, context):
        refusal = await _in_language(context.services, ref, "group.admins_only")
        await query.answer(refusal, show_alert=True)
    else:
        pressed = await presses.press(context.services, ref, action, onboarding=_onboarding(query))
        await _show(query, pressed.screen)
        await presses.follow_language(context.bot, context.services, pressed)
        await query.answer(pressed.note)


HANDLERS: list[BaseHandler[Update, Context, None]] = [CallbackQueryHandler(on_button)]


async def _in_language(services: Services, ref: ChatRef, key: str) -> str:
    """A refusal needs no settings: the chat's language, or its user's before first contact."""
    return (await texts_for(services, ref))(key)


async def _show(query: CallbackQuery, screen: screens.Screen) -> None:
    """Edit the pressed message in place; an unchanged screen is not an error."""
    try:
        await query.edit_message_text(screen.text, reply_markup=screen.keyboard)
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            raise
