"""Article text made safe and short for a message: one line, bounded length, cut on a word."""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import urlsplit

from bot.domain.telegram_html import utf16_len
from bot.domain.urls import site_name

ELLIPSIS: Final = "…"
MAX_URL_LENGTH: Final = 2048
MAX_SITE_UNITS: Final = 64

# C0 controls other than whitespace, DEL and lone surrogates: Telegram refuses or mangles them.
_UNSENDABLE: Final = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff]")
_TRAILING: Final = " \t,;:.-–—"


def one_line(text: str) -> str:
    """Collapse all whitespace to single spaces and drop characters Telegram cannot take."""
    return " ".join(_UNSENDABLE.sub("", text).split())


def prefix_within(text: str, units: int) -> str:
    """The longest prefix of `text` whose UTF-16 length is at most `units`."""
    if units <= 0:
        return ""
    if len(text) <= units and utf16_len(text) <= units:
        return text
    if utf16_len(text) == len(text):
        return text[:units]
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > units:
            return text[:index]
    return text


def shorten(text: str, units: int) -> str:
    """`text` cut to at most `units` UTF-16 units, on a word boundary when one is near, with …."""
    if utf16_len(text) <= units:
        return text
    cut = prefix_within(text, units - utf16_len(ELLIPSIS))
    space = cut.rfind(" ")
    if space >= len(cut) * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(_TRAILING) + ELLIPSIS


def safe_href(url: str | None) -> str | None:
    """The URL when Telegram can link it (absolute http/https, sane length), otherwise None."""
    if not url or len(url) > MAX_URL_LENGTH or one_line(url) != url or " " in url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def site_label(url: str | None) -> str:
    """The site name shown beside an item (`gov.kz`), bounded; empty when there is none."""
    return shorten(one_line(site_name(url)), MAX_SITE_UNITS)
