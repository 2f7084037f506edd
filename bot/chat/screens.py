"""The screens of onboarding and settings: text and keyboard for each, in the chat's language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time
from typing import Protocol

from telegram import InlineKeyboardMarkup

from bot.chat import keyboards
from bot.chat.actions import Onboarding, SettingsItem
from bot.chat.alerts_replies import alerts_state
from bot.chat.replies import label, settings_summary, subscriptions_list
from bot.digests.interests import REGION, TOPIC
from bot.domain.schedule import spread_suggestions
from bot.i18n import BoundTranslator
from bot.usecases.interests import Removed
from storage.models import Chat, Subscription

TIME_SUGGESTIONS = 6


@dataclass(frozen=True, slots=True)
class Screen:
    """One message's text and keyboard."""

    text: str
    keyboard: InlineKeyboardMarkup | None = None


def welcome(texts: BoundTranslator) -> Screen:
    """Onboarding's first step: a greeting, and the language to read in."""
    return Screen(texts("start.welcome"), keyboards.languages())


def choose_language(texts: BoundTranslator) -> Screen:
    """The language buttons, from onboarding or from the settings."""
    return Screen(texts("start.choose_language"), keyboards.languages())


def _chosen(subscriptions: Sequence[Subscription], kind: str) -> set[str]:
    """The slugs of one kind a chat follows: the buttons to tick."""
    return {s.value for s in subscriptions if s.kind == kind}


class ChoiceScreen(Protocol):
    """`regions` or `topics`: a keyboard of choices, what the chat follows ticked."""

    def __call__(
        self, texts: BoundTranslator, subscriptions: Sequence[Subscription], *, onboarding: bool
    ) -> Screen: ...


def regions(
    texts: BoundTranslator,
    subscriptions: Sequence[Subscription],
    *,
    onboarding: bool,
    matches: int | None = None,
) -> Screen:
    """The regions keyboard; `matches` after a change, `onboarding` with back and next."""
    chosen = _chosen(subscriptions, REGION)
    return Screen(
        _with_matches(texts, texts("start.choose_regions"), matches),
        keyboards.regions(texts, chosen, onboarding=onboarding),
    )


def topics(
    texts: BoundTranslator,
    subscriptions: Sequence[Subscription],
    *,
    onboarding: bool,
    matches: int | None = None,
    alerts: bool = False,
) -> Screen:
    """The topics keyboard; `matches` after a change, `onboarding` with back and next and,
    since it comes right after the regions, the one-tap offer of alerts (`alerts`: taken)."""
    chosen = _chosen(subscriptions, TOPIC)
    text: str = texts("start.choose_topics")
    if onboarding:
        text = f"{texts('alerts.offer_taken' if alerts else 'alerts.offer')}\n\n{text}"
    return Screen(
        _with_matches(texts, text, matches),
        keyboards.topics(texts, chosen, onboarding=onboarding, alerts=alerts),
    )


def _with_matches(texts: BoundTranslator, text: str, matches: int | None) -> str:
    """After a change of interests, how many recent stories they would have brought."""
    if matches is None:
        return text
    return f"{text}\n\n{texts('subscribe.preview', count=matches)}"


def times(texts: BoundTranslator, chat: Chat, base: time) -> Screen:
    """Digest times spread around `base`, read in the chat's zone."""
    suggestions = spread_suggestions(base, TIME_SUGGESTIONS)
    return Screen(
        texts("start.choose_time", zone=chat.timezone),
        keyboards.times(texts, suggestions, chat.digest_time),
    )


def summary(
    texts: BoundTranslator, chat: Chat, subscriptions: Sequence[Subscription], *, finished: bool
) -> Screen:
    """Settings at a glance; after onboarding, also what happens next."""
    text: str = settings_summary(texts, chat, subscriptions)
    if finished:
        text = f"{text}\n\n{texts('start.next_steps', time=chat.digest_time)}"
    return Screen(text, keyboards.settings(texts))


def alerts(
    texts: BoundTranslator, chat: Chat, subscriptions: Sequence[Subscription], *, cap: int
) -> Screen:
    """Urgent alerts: what they are, on or off, the quiet hours; /alerts and the settings."""
    return Screen(
        alerts_state(texts, chat, subscriptions, cap=cap), keyboards.alerts(texts, on=chat.alerts)
    )


def frequencies(texts: BoundTranslator) -> Screen:
    """How often digests come: daily, weekdays, weekly, off."""
    return Screen(texts("frequency.choose"), keyboards.frequencies(texts))


def after_step(
    texts: BoundTranslator,
    chat: Chat,
    subscriptions: Sequence[Subscription],
    pressed: Onboarding,
    default_time: time,
) -> Screen:
    """Where next, back or done on an onboarding step leads: language → regions → topics →
    time, then the summary."""
    back = pressed.move == "back"
    if pressed.step == "regions":
        if back:
            return choose_language(texts)
        return topics(texts, subscriptions, onboarding=True, alerts=chat.alerts)
    if pressed.step == "topics":
        if back:
            return regions(texts, subscriptions, onboarding=True)
        return times(texts, chat, default_time)
    if pressed.step == "time" and back:
        return topics(texts, subscriptions, onboarding=True, alerts=chat.alerts)
    return summary(texts, chat, subscriptions, finished=True)


def settings_item(
    texts: BoundTranslator,
    chat: Chat,
    subscriptions: Sequence[Subscription],
    item: SettingsItem,
    default_time: time,
) -> Screen:
    """What a settings-menu button opens; "close" and the zone (no keyboard of its own) go back
    to the settings at a glance. Alerts open `alerts`, which needs the daily cap as well."""
    if item == "language":
        return choose_language(texts)
    if item == "regions":
        return regions(texts, subscriptions, onboarding=False)
    if item == "topics":
        return topics(texts, subscriptions, onboarding=False)
    if item == "time":
        return times(texts, chat, default_time)
    if item == "frequency":
        return frequencies(texts)
    return summary(texts, chat, subscriptions, finished=False)


def after_removal(texts: BoundTranslator, removal: Removed) -> Screen:
    """/mysubs again after a remove button, with what the rest would bring."""
    remaining = removal.remaining
    items = [(s, label(texts, s.kind, s.value)) for s in remaining]
    text = _with_matches(texts, subscriptions_list(texts, remaining), removal.matches)
    return Screen(text, keyboards.subscriptions(texts, items))
