"""What each inline-button press does: the use case it calls and the screen it leads to.

The command and the button for the same thing call the same use case; a press then shows the
next screen in place of the pressed message, with a short note.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Bot

from bot.chat import screens
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
    ShowPage,
    SwitchAlerts,
    ToggleRegion,
    ToggleTopic,
)
from bot.chat.menus import set_chat_commands
from bot.chat.replies import label
from bot.digests.interests import REGION, TOPIC
from bot.services import Services
from bot.usecases import interests
from bot.usecases import settings as chat_settings
from bot.usecases.chats import ChatRef
from bot.usecases.settings import ChatSettings


@dataclass(frozen=True, slots=True)
class Pressed:
    """What a press leads to: the pressed message's new screen, a short note, and, after a new
    language, the chat whose command menu follows it."""

    screen: screens.Screen
    note: str | None = None
    menu: ChatSettings | None = None


async def follow_language(bot: Bot, services: Services, pressed: Pressed) -> None:
    """After a new language, the chat's command menu speaks it too."""
    if pressed.menu is not None:
        chat = pressed.menu.chat
        await set_chat_commands(bot, services, chat_id=chat.id, language=chat.language)


async def press(services: Services, ref: ChatRef, action: Action, *, onboarding: bool) -> Pressed:
    """Carry out what the button asks for; `onboarding`: the pressed keyboard is a step of it."""
    match action:
        case ChooseLanguage(language):
            return await _choose_language(services, ref, language)
        case ToggleRegion(slug):
            return await _toggle(services, ref, REGION, slug, onboarding=onboarding)
        case ToggleTopic(slug):
            return await _toggle(services, ref, TOPIC, slug, onboarding=onboarding)
        case Onboarding():
            current = await chat_settings.settings_of(services, ref)
            texts = services.texts(current.language)
            step = screens.after_step(
                texts, current.chat, current.subscriptions, action, services.default_time
            )
            return Pressed(step)
        case OpenSettings("alerts"):
            return _alerts(services, await chat_settings.settings_of(services, ref))
        case OpenSettings(item):
            current = await chat_settings.settings_of(services, ref)
            texts = services.texts(current.language)
            opened = screens.settings_item(
                texts, current.chat, current.subscriptions, item, services.default_time
            )
            return Pressed(opened)
        case ChooseTime(at):
            return _summary(
                services, await chat_settings.set_time(services, ref, at), finished=True
            )
        case ChooseFrequency(frequency, weekly_day):
            choice = (frequency, weekly_day)
            return _summary(services, await chat_settings.set_frequency(services, ref, choice))
        case ChooseZone(zone):
            return _summary(services, await chat_settings.set_zone(services, ref, zone))
        case SwitchAlerts(on):
            switched = await chat_settings.set_alerts(services, ref, on)
            return _alerts(services, switched, onboarding=onboarding, noted=True)
        case RemoveSubscription(subscription_id):
            return await _remove(services, ref, subscription_id)
        case AnswerStop(confirm):
            return await _answer_stop(services, ref, confirm=confirm)
        case Noop():
            return _summary(services, await chat_settings.settings_of(services, ref))
        case ShowPage() | AnswerSourceOffer():
            raise AssertionError(f"no keyboard offers {action!r} to a chat's settings")


def _summary(services: Services, settings: ChatSettings, *, finished: bool = False) -> Pressed:
    """The settings at a glance; `finished`: onboarding is over, so what happens next too."""
    texts = services.texts(settings.language)
    return Pressed(screens.summary(texts, settings.chat, settings.subscriptions, finished=finished))


def _alerts(
    services: Services, settings: ChatSettings, *, onboarding: bool = False, noted: bool = False
) -> Pressed:
    """The alerts screen; in onboarding the topics step it was offered on, with the new state.
    `noted`: a switch was pressed, so a short note says what alerts now are."""
    texts = services.texts(settings.language)
    chat = settings.chat
    note = texts("alerts.note_on" if chat.alerts else "alerts.note_off") if noted else None
    if onboarding:
        step = screens.topics(texts, settings.subscriptions, onboarding=True, alerts=chat.alerts)
        return Pressed(step, note)
    cap = services.settings.alert_daily_cap
    return Pressed(screens.alerts(texts, chat, settings.subscriptions, cap=cap), note)


async def _choose_language(services: Services, ref: ChatRef, language: str) -> Pressed:
    """A chat that follows nothing yet goes on to the regions; the others see their settings."""
    settings = await chat_settings.set_language(services, ref, language)
    texts = services.texts(settings.language)
    if not settings.subscriptions:
        return Pressed(screens.regions(texts, [], onboarding=True), menu=settings)
    return Pressed(
        screens.summary(texts, settings.chat, settings.subscriptions, finished=False),
        texts("lang.changed"),
        menu=settings,
    )


async def _toggle(
    services: Services, ref: ChatRef, kind: str, slug: str, *, onboarding: bool
) -> Pressed:
    """The same keyboard again, with the tick moved and what the interests would bring."""
    toggled = await interests.toggle(services, ref, kind=kind, value=slug)
    texts = services.texts(toggled.language)
    subscriptions, matches = toggled.subscriptions, toggled.matches
    if kind == REGION:
        return Pressed(
            screens.regions(texts, subscriptions, onboarding=onboarding, matches=matches)
        )
    return Pressed(
        screens.topics(
            texts, subscriptions, onboarding=onboarding, matches=matches, alerts=toggled.alerts
        )
    )


async def _remove(services: Services, ref: ChatRef, subscription_id: int) -> Pressed:
    """The list again without it; a second press on the same button finds it gone."""
    removal = await interests.remove(services, ref, subscription_id)
    texts = services.texts(removal.language)
    if removal.removed is None:
        note = texts("button.outdated")
    else:
        note = texts(
            "mysubs.removed", name=label(texts, removal.removed.kind, removal.removed.value)
        )
    return Pressed(screens.after_removal(texts, removal), note)


async def _answer_stop(services: Services, ref: ChatRef, *, confirm: bool) -> Pressed:
    """Yes forgets the chat (only a fresh press gets this far); no keeps everything."""
    if confirm:
        language = await chat_settings.forget(services, ref)
        return Pressed(screens.Screen(services.texts(language)("stop.done")))
    settings = await chat_settings.settings_of(services, ref)
    return Pressed(screens.Screen(services.texts(settings.language)("stop.cancelled")))
