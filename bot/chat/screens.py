"""The screens of onboarding and settings: text and keyboard for each, in the chat's language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time

from telegram import InlineKeyboardMarkup

from bot.chat import keyboards
from bot.chat.replies import settings_summary
from bot.digests.interests import REGION, TOPIC
from bot.domain.schedule import spread_suggestions
from bot.i18n import BoundTranslator
from storage.models import Chat, Subscription

TIME_SUGGESTIONS = 6


@dataclass(frozen=True, slots=True)
class Screen:
    """One message's text and keyboard."""

    text: str
    keyboard: InlineKeyboardMarkup | None = None


def welcome(texts: BoundTranslator) -> Screen:
    return Screen(texts("start.welcome"), keyboards.languages())


def choose_language(texts: BoundTranslator) -> Screen:
    return Screen(texts("start.choose_language"), keyboards.languages())


def _chosen(subscriptions: Sequence[Subscription], kind: str) -> set[str]:
    return {s.value for s in subscriptions if s.kind == kind}


def regions(
    texts: BoundTranslator,
    subscriptions: Sequence[Subscription],
    *,
    onboarding: bool,
    matches: int | None = None,
) -> Screen:
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
) -> Screen:
    chosen = _chosen(subscriptions, TOPIC)
    return Screen(
        _with_matches(texts, texts("start.choose_topics"), matches),
        keyboards.topics(texts, chosen, onboarding=onboarding),
    )


def _with_matches(texts: BoundTranslator, text: str, matches: int | None) -> str:
    """After a change of interests, how many recent stories they would have brought."""
    if matches is None:
        return text
    return f"{text}\n\n{texts('subscribe.preview', count=matches)}"


def times(texts: BoundTranslator, chat: Chat, base: time) -> Screen:
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


def frequencies(texts: BoundTranslator) -> Screen:
    return Screen(texts("frequency.choose"), keyboards.frequencies(texts))
