"""What an inline button asks for: one frozen, self-validating type per action.

An action that exists is valid (known slug, page in range, canonical zone, whole-minute time),
so `bot.chat.callback_data` can refuse forged data by constructing it. Pure: no Telegram import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from typing import Final, Literal, get_args

from bot.domain.schedule import Frequency, check_frequency
from bot.domain.taxonomy import LANGUAGES, REGION_SLUGS, TOPIC_SLUGS, Language
from bot.domain.timezones import is_valid_zone

MAX_PAGE: Final = 99
MAX_ID: Final = 2**63 - 1

Keyboard = Literal["regions", "topics"]
OnboardingStep = Literal["language", "regions", "topics", "time", "timezone"]
Move = Literal["next", "back", "done"]
SettingsItem = Literal[
    "language", "regions", "topics", "time", "frequency", "timezone", "alerts", "close"
]
OfferChoice = Literal["feed", "listing", "cancel"]
# Feeds one discovery offer shows; the id of an offer kept server-side (bot.chat.source_offers).
MAX_OFFERED: Final = 8
OFFER_ID: Final = re.compile(r"[A-Za-z0-9_-]{8}")


def _check_page(page: int) -> None:
    """ValueError for a page no keyboard has."""
    if not 0 <= page <= MAX_PAGE:
        raise ValueError(f"page out of range: {page}")


def _check_choice(value: str, allowed: tuple[str, ...]) -> None:
    """ValueError unless `value` is one of `allowed`."""
    if value not in allowed:
        raise ValueError(f"{value!r} is not one of {allowed}")


@dataclass(frozen=True, slots=True)
class ChooseLanguage:
    """Onboarding or settings: the chat's language."""

    language: Language

    def __post_init__(self) -> None:
        _check_choice(self.language, LANGUAGES)


@dataclass(frozen=True, slots=True)
class ToggleRegion:
    """Tick or untick a region on page `page` of the regions keyboard."""

    slug: str
    page: int = 0

    def __post_init__(self) -> None:
        _check_choice(self.slug, REGION_SLUGS)
        _check_page(self.page)


@dataclass(frozen=True, slots=True)
class ToggleTopic:
    """Tick or untick a topic on page `page` of the topics keyboard."""

    slug: str
    page: int = 0

    def __post_init__(self) -> None:
        _check_choice(self.slug, TOPIC_SLUGS)
        _check_page(self.page)


@dataclass(frozen=True, slots=True)
class ShowPage:
    """Turn the regions or topics keyboard to another page."""

    keyboard: Keyboard
    page: int

    def __post_init__(self) -> None:
        _check_choice(self.keyboard, get_args(Keyboard))
        _check_page(self.page)


@dataclass(frozen=True, slots=True)
class Onboarding:
    """Next / back / done pressed on onboarding step `step` (stale steps can be ignored)."""

    step: OnboardingStep
    move: Move

    def __post_init__(self) -> None:
        _check_choice(self.step, get_args(OnboardingStep))
        _check_choice(self.move, get_args(Move))


@dataclass(frozen=True, slots=True)
class ChooseTime:
    """A digest time from the suggestions keyboard (whole minutes, local wall clock)."""

    at: time

    def __post_init__(self) -> None:
        if self.at.tzinfo is not None or self.at.second or self.at.microsecond:
            raise ValueError(f"not a whole-minute wall time: {self.at!r}")


@dataclass(frozen=True, slots=True)
class ChooseFrequency:
    """Daily, weekdays, weekly on `weekly_day` (0 = Monday), or off."""

    frequency: Frequency
    weekly_day: int | None = None

    def __post_init__(self) -> None:
        check_frequency(self.frequency, self.weekly_day)
        if self.frequency != "weekly" and self.weekly_day is not None:
            raise ValueError("only weekly takes a day")


@dataclass(frozen=True, slots=True)
class ChooseZone:
    """A time zone from the suggestions keyboard, by canonical IANA name."""

    zone: str

    def __post_init__(self) -> None:
        if not is_valid_zone(self.zone):
            raise ValueError(f"not a canonical zone: {self.zone!r}")


@dataclass(frozen=True, slots=True)
class RemoveSubscription:
    """Remove one subscription (region, topic, keyword or exclusion), by its database id."""

    subscription_id: int

    def __post_init__(self) -> None:
        if not 1 <= self.subscription_id <= MAX_ID:
            raise ValueError(f"subscription id out of range: {self.subscription_id}")


@dataclass(frozen=True, slots=True)
class AnswerStop:
    """The answer to "stop all digests?": confirm or cancel."""

    confirm: bool


@dataclass(frozen=True, slots=True)
class OpenSettings:
    """A settings-menu button."""

    item: SettingsItem

    def __post_init__(self) -> None:
        _check_choice(self.item, get_args(SettingsItem))


@dataclass(frozen=True, slots=True)
class SwitchAlerts:
    """Urgent alerts on or off, from onboarding, the settings or /alerts."""

    on: bool


@dataclass(frozen=True, slots=True)
class AnswerSourceOffer:
    """An operator's answer to a discovery offer: add found feed `index`, add the page as a
    listing, or cancel. The offer's addresses stay on the server: a URL does not fit."""

    offer: str
    choice: OfferChoice
    index: int = 0

    def __post_init__(self) -> None:
        if not OFFER_ID.fullmatch(self.offer):
            raise ValueError(f"not an offer id: {self.offer!r}")
        _check_choice(self.choice, get_args(OfferChoice))
        if not 0 <= self.index < (MAX_OFFERED if self.choice == "feed" else 1):
            raise ValueError(f"offer index out of range: {self.index}")


@dataclass(frozen=True, slots=True)
class Noop:
    """A button that only shows something (a page counter); pressing it does nothing."""


Action = (
    ChooseLanguage
    | ToggleRegion
    | ToggleTopic
    | ShowPage
    | Onboarding
    | ChooseTime
    | ChooseFrequency
    | ChooseZone
    | RemoveSubscription
    | AnswerStop
    | OpenSettings
    | SwitchAlerts
    | AnswerSourceOffer
    | Noop
)


def is_destructive(action: Action) -> bool:
    """Whether the press deletes what cannot be restored, so only a fresh confirmation may."""
    return isinstance(action, AnswerStop) and action.confirm
