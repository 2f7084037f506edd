"""Inline keyboards: every button's data goes through the callback codec."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from html import unescape
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.chat.actions import (
    Action,
    AnswerSourceOffer,
    AnswerStop,
    ChooseFrequency,
    ChooseLanguage,
    ChooseTime,
    ChooseZone,
    Onboarding,
    OnboardingStep,
    OpenSettings,
    RemoveSubscription,
    SettingsItem,
    SwitchAlerts,
    ToggleRegion,
    ToggleTopic,
)
from bot.chat.callback_data import pack
from bot.domain.taxonomy import REGION_SLUGS, TOPIC_SLUGS, Language, region_name, topic_name
from bot.domain.telegram_html import Html
from bot.domain.timezones import SUGGESTED_ZONES
from bot.domain.user_input import quote_input
from bot.i18n import BoundTranslator
from bot.ingest.discovery import Candidate
from storage.models import Subscription

LANGUAGE_LABELS: Final[dict[Language, str]] = {"en": "English", "ru": "Русский", "kk": "Қазақша"}
CHECK = "✅ "
# Telegram shows about this much of a button's label on a phone.
FEED_TITLE_CHARS = 40


def _button(label: str, action: Action) -> InlineKeyboardButton:
    """Button labels are plain text: catalogue HTML escapes are undone."""
    return InlineKeyboardButton(unescape(label), callback_data=pack(action))


def _rows(buttons: Sequence[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    """Buttons laid out `width` to a row, the last row shorter."""
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def zones(current: str) -> InlineKeyboardMarkup:
    """The suggested time zones, two to a row; the chat's own is ticked."""
    buttons = [
        _button(f"{CHECK}{zone}" if zone == current else zone, ChooseZone(zone))
        for zone in SUGGESTED_ZONES
    ]
    return InlineKeyboardMarkup(_rows(buttons, 2))


def languages() -> InlineKeyboardMarkup:
    """English, Русский, Қазақша: each in its own language."""
    return InlineKeyboardMarkup(
        [[_button(label, ChooseLanguage(code)) for code, label in LANGUAGE_LABELS.items()]]
    )


def _steps(
    texts: BoundTranslator, step: OnboardingStep, *, back: bool
) -> list[InlineKeyboardButton]:
    """An onboarding step's last row: back (where there is a step before) and next."""
    buttons = [_button(texts("keyboard.back"), Onboarding(step, "back"))] if back else []
    buttons.append(_button(texts("keyboard.next"), Onboarding(step, "next")))
    return buttons


def regions(texts: BoundTranslator, chosen: set[str], *, onboarding: bool) -> InlineKeyboardMarkup:
    """Toggles for the 20 regions and the whole country, ✅ on the chosen ones."""
    buttons = [
        _button(
            (CHECK if slug in chosen else "") + region_name(slug, texts.language),
            ToggleRegion(slug),
        )
        for slug in REGION_SLUGS
    ]
    rows = _rows(buttons, 2)
    rows.append(
        _steps(texts, "regions", back=True)
        if onboarding
        else [_button(texts("keyboard.done"), OpenSettings("close"))]
    )
    return InlineKeyboardMarkup(rows)


def topics(
    texts: BoundTranslator, chosen: set[str], *, onboarding: bool, alerts: bool = False
) -> InlineKeyboardMarkup:
    """Toggles for the 14 topics; choosing none means every topic. In onboarding, the step
    right after the regions, one more button turns urgent alerts on (or off again)."""
    buttons = [
        _button(
            (CHECK if slug in chosen else "") + topic_name(slug, texts.language), ToggleTopic(slug)
        )
        for slug in TOPIC_SLUGS
    ]
    rows = _rows(buttons, 2)
    if onboarding:
        offer = texts("alerts.offer_undo" if alerts else "alerts.offer_button")
        rows.append([_button(offer, SwitchAlerts(not alerts))])
    rows.append(
        _steps(texts, "topics", back=True)
        if onboarding
        else [_button(texts("keyboard.done"), OpenSettings("close"))]
    )
    return InlineKeyboardMarkup(rows)


def times(
    texts: BoundTranslator, suggestions: Sequence[time], current: str
) -> InlineKeyboardMarkup:
    """Suggested digest times, spread around the hour, and the current one to keep."""
    buttons = [
        _button(
            (CHECK if at.strftime("%H:%M") == current else "") + at.strftime("%H:%M"),
            ChooseTime(at),
        )
        for at in suggestions
    ]
    rows = _rows(buttons, 3)
    rows.append(
        [
            _button(texts("keyboard.back"), Onboarding("time", "back")),
            _button(texts("keyboard.keep_time", time=current), Onboarding("time", "done")),
        ]
    )
    return InlineKeyboardMarkup(rows)


def settings(texts: BoundTranslator) -> InlineKeyboardMarkup:
    """The settings menu shown by /start once a chat is set up."""
    items: tuple[SettingsItem, ...] = (
        "language",
        "regions",
        "topics",
        "time",
        "frequency",
        "alerts",
    )
    buttons = [_button(texts(f"settings.button.{item}"), OpenSettings(item)) for item in items]
    return InlineKeyboardMarkup(_rows(buttons, 2))


def alerts(texts: BoundTranslator, *, on: bool) -> InlineKeyboardMarkup:
    """Alerts on and off, the current state ticked; done goes back to the settings."""
    switches = [
        _button(
            (CHECK if on == state else "") + texts(f"alerts.button_{word}"), SwitchAlerts(state)
        )
        for state, word in ((True, "on"), (False, "off"))
    ]
    return InlineKeyboardMarkup(
        [switches, [_button(texts("keyboard.done"), OpenSettings("close"))]]
    )


def frequencies(texts: BoundTranslator) -> InlineKeyboardMarkup:
    """Daily, weekdays, weekly on Monday, off."""
    options = [
        ChooseFrequency("daily"),
        ChooseFrequency("weekdays"),
        ChooseFrequency("weekly", 0),
        ChooseFrequency("off"),
    ]
    buttons = [
        _button(texts(f"frequency.{o.frequency}", day=texts("weekday.0")), o) for o in options
    ]
    return InlineKeyboardMarkup(_rows(buttons, 2))


def subscriptions(
    texts: BoundTranslator, items: Sequence[tuple[Subscription, str]]
) -> InlineKeyboardMarkup | None:
    """A remove button for each subscription, labelled with its display name."""
    buttons = [
        _button(texts("mysubs.remove", name=label), RemoveSubscription(subscription.id))
        for subscription, label in items
        if subscription.id is not None
    ]
    return InlineKeyboardMarkup(_rows(buttons, 1)) if buttons else None


def confirm_stop(texts: BoundTranslator) -> InlineKeyboardMarkup:
    """Yes, forget this chat; or cancel."""
    return InlineKeyboardMarkup(
        [
            [
                _button(texts("stop.confirm_button"), AnswerStop(True)),
                _button(texts("stop.cancel_button"), AnswerStop(False)),
            ]
        ]
    )


def source_offer(
    texts: BoundTranslator, offer_id: str, feeds: Sequence[Candidate]
) -> InlineKeyboardMarkup:
    """One button per feed found (title and item count), then the page as a listing, cancel."""
    rows = [
        [
            _button(
                texts("discovery.feed_button", title=_feed_label(feed), count=feed.items),
                AnswerSourceOffer(offer_id, "feed", index),
            )
        ]
        for index, feed in enumerate(feeds)
    ]
    listing = AnswerSourceOffer(offer_id, "listing")
    rows.append([_button(texts("discovery.listing_button"), listing)])
    rows.append([_button(texts("discovery.cancel_button"), AnswerSourceOffer(offer_id, "cancel"))])
    return InlineKeyboardMarkup(rows)


def _feed_label(feed: Candidate) -> Html:
    """The feed's title (a site's text: one clean line, shortened); its address without one."""
    return quote_input(feed.title or feed.url.split("://", 1)[-1], limit=FEED_TITLE_CHARS)
