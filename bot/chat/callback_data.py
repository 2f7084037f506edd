"""A typed, versioned codec for inline-button callback data (Telegram allows 64 bytes).

Every button says `<version>|<action code>|<fields...>`, all ASCII: `1|L|ru`, `1|R|karaganda|2`,
`1|X|117`, `1|A|on`. Only the one canonical spelling of each action is accepted, and every field is
checked (bot.chat.actions validates on construction), so a forged or garbled string is refused
before any handler sees it. Buttons left in old messages by another schema version raise
`OutdatedCallback`, so they can be answered ("this button is out of date") instead of being
misread. Subscriptions are named by database id: keywords can be long; discovered feeds by the
id of an offer kept server-side (`1|D|Xa9_k2Qm|feed|0`): addresses can be longer still.
Pure: no Telegram import.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import time
from typing import Final, TypeVar, get_args

from bot.chat.actions import (
    Action,
    AnswerSourceOffer,
    AnswerStop,
    ChooseFrequency,
    ChooseLanguage,
    ChooseTime,
    ChooseZone,
    Keyboard,
    Move,
    Noop,
    OfferChoice,
    Onboarding,
    OnboardingStep,
    OpenSettings,
    RemoveSubscription,
    SettingsItem,
    ShowPage,
    SwitchAlerts,
    ToggleRegion,
    ToggleTopic,
)
from bot.domain.schedule import FREQUENCIES, Frequency
from bot.domain.taxonomy import LANGUAGES, Language

__all__ = [
    "MAX_BYTES",
    "VERSION",
    "Action",
    "AnswerSourceOffer",
    "AnswerStop",
    "CallbackTooLong",
    "ChooseFrequency",
    "ChooseLanguage",
    "ChooseTime",
    "ChooseZone",
    "ForgedCallback",
    "Noop",
    "Onboarding",
    "OpenSettings",
    "OutdatedCallback",
    "RemoveSubscription",
    "ShowPage",
    "SwitchAlerts",
    "ToggleRegion",
    "ToggleTopic",
    "pack",
    "unpack",
]

_T = TypeVar("_T")

VERSION: Final = "1"
MAX_BYTES: Final = 64
_SEPARATOR: Final = "|"
_OLD_VERSION: Final = re.compile(r"[0-9]{1,3}")


class ForgedCallback(ValueError):
    """Callback data this bot did not produce: answer it, never act on it."""

    key: str = "callback.forged"


class OutdatedCallback(ForgedCallback):
    """A button from another schema version, left in an old message."""

    key = "callback.outdated"


class CallbackTooLong(ValueError):
    """An action whose encoding exceeds Telegram's 64 bytes: a bug in the caller."""


def pack(action: Action) -> str:
    """The callback data of an action; CallbackTooLong beyond 64 UTF-8 bytes."""
    data = _SEPARATOR.join((VERSION, *_fields(action)))
    if len(data.encode()) > MAX_BYTES:
        raise CallbackTooLong(f"{len(data.encode())} bytes: {data!r}")
    return data


def unpack(data: object) -> Action:
    """The action a button carries; ForgedCallback (or OutdatedCallback) for anything else."""
    if not isinstance(data, str) or not data.isascii() or len(data) > MAX_BYTES:
        raise ForgedCallback("not callback data of ours")
    version, _, rest = data.partition(_SEPARATOR)
    if version != VERSION:
        if _OLD_VERSION.fullmatch(version):
            raise OutdatedCallback(f"schema version {version}")
        raise ForgedCallback("no schema version")
    try:
        action = _decode(rest.split(_SEPARATOR))
        canonical = pack(action)
    except ValueError as error:
        raise ForgedCallback(str(error)) from error
    if canonical != data:
        raise ForgedCallback("not the canonical spelling")
    return action


def _fields(action: Action) -> tuple[str, ...]:
    """The action code and its fields, in the one canonical spelling."""
    match action:
        case ChooseLanguage(language):
            return ("L", language)
        case ToggleRegion(slug, page):
            return ("R", slug, str(page))
        case ToggleTopic(slug, page):
            return ("T", slug, str(page))
        case ShowPage(keyboard, page):
            return ("P", keyboard, str(page))
        case Onboarding(step, move):
            return ("O", step, move)
        case ChooseTime(at):
            return ("H", at.strftime("%H:%M"))
        case ChooseFrequency(frequency, None):
            return ("F", frequency)
        case ChooseFrequency(frequency, day):
            return ("F", frequency, str(day))
        case ChooseZone(zone):
            return ("Z", zone)
        case RemoveSubscription(subscription_id):
            return ("X", str(subscription_id))
        case AnswerStop(confirm):
            return ("S", "yes" if confirm else "no")
        case OpenSettings(item):
            return ("M", item)
        case SwitchAlerts(on):
            return ("A", "on" if on else "off")
        case AnswerSourceOffer(offer, choice, index):
            return ("D", offer, choice, str(index))
        case Noop():
            return ("N",)


# Field text -> typed value, for the fields whose type is a closed set of words.
_LANGUAGES: Final[dict[str, Language]] = {value: value for value in LANGUAGES}
_KEYBOARDS: Final[dict[str, Keyboard]] = {value: value for value in get_args(Keyboard)}
_STEPS: Final[dict[str, OnboardingStep]] = {value: value for value in get_args(OnboardingStep)}
_MOVES: Final[dict[str, Move]] = {value: value for value in get_args(Move)}
_FREQUENCIES: Final[dict[str, Frequency]] = {value: value for value in FREQUENCIES}
_SETTINGS: Final[dict[str, SettingsItem]] = {value: value for value in get_args(SettingsItem)}
_OFFER_CHOICES: Final[dict[str, OfferChoice]] = {value: value for value in get_args(OfferChoice)}


def _decode(parts: list[str]) -> Action:
    """Parse leniently; `unpack` then insists on the canonical spelling via `pack`."""
    match parts:
        case ["L", language]:
            return ChooseLanguage(_pick(_LANGUAGES, language))
        case ["R", slug, page]:
            return ToggleRegion(slug, int(page))
        case ["T", slug, page]:
            return ToggleTopic(slug, int(page))
        case ["P", keyboard, page]:
            return ShowPage(_pick(_KEYBOARDS, keyboard), int(page))
        case ["O", step, move]:
            return Onboarding(_pick(_STEPS, step), _pick(_MOVES, move))
        case ["H", clock]:
            return ChooseTime(time.fromisoformat(clock))
        case ["F", frequency]:
            return ChooseFrequency(_pick(_FREQUENCIES, frequency))
        case ["F", frequency, day]:
            return ChooseFrequency(_pick(_FREQUENCIES, frequency), int(day))
        case ["Z", zone]:
            return ChooseZone(zone)
        case ["X", subscription_id]:
            return RemoveSubscription(int(subscription_id))
        case ["S", "yes" | "no" as answer]:
            return AnswerStop(answer == "yes")
        case ["M", item]:
            return OpenSettings(_pick(_SETTINGS, item))
        case ["A", "on" | "off" as state]:
            return SwitchAlerts(state == "on")
        case ["D", offer, choice, index]:
            return AnswerSourceOffer(offer, _pick(_OFFER_CHOICES, choice), int(index))
        case ["N"]:
            return Noop()
    raise ValueError("unknown action")


def _pick(table: Mapping[str, _T], value: str) -> _T:
    """The typed value of a field from a closed set; ValueError for any other word."""
    if value not in table:
        raise ValueError(f"unexpected {value!r}")
    return table[value]
