"""Oracles the tests share: what valid Telegram HTML and a complete catalogue are."""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Final

from bot.domain.telegram_html import TelegramHtmlError, visible_text

# CLDR plural categories each language uses for whole numbers.
PLURAL_CATEGORIES: Final[Mapping[str, tuple[str, ...]]] = {
    "en": ("one", "other"),
    "ru": ("one", "few", "many"),
    "kk": ("one", "other"),
}


def is_valid(html: str) -> bool:
    """Whether Telegram would accept `html` (it passes `visible_text`)."""
    try:
        visible_text(html)
    except TelegramHtmlError:
        return False
    return True


def placeholders(template: str) -> frozenset[str]:
    """Names of the `{placeholders}` in a template."""
    return frozenset(
        field for _, field, _, _ in string.Formatter().parse(template) if field is not None
    )
