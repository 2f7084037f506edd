"""What people type, made safe to quote back to them and to count with.

A reply that quotes a 5,000-character word is longer than Telegram allows (4,096 UTF-16 units)
and fails with a 400; control characters garble the reply, a bidirectional override (U+202E)
turns the rest of the line around, a lone surrogate cannot even be encoded, and `int()` refuses
strings of more than 4,300 digits. Pure: text in, text or a number out.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from bot.domain.telegram_html import Html, escape

QUOTE_MAX_CHARS: Final = 64  # a word or phrase typed after a command
NAME_MAX_CHARS: Final = 128  # chat titles and forum topic names, which Telegram caps at 128
_ELLIPSIS: Final = "…"
_HIDDEN: Final = "\ufffd"  # what a removed control character shows as: something was there

# Controls (C0, DEL, C1), bidirectional marks, embeddings, overrides and isolates, surrogates.
# Whitespace among them (tab, line breaks, U+001C–U+001F, NEL) becomes a space first.
_INVISIBLE: Final = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]+"
)
_SPACES: Final = re.compile(r"\s+")
# Characters that belong to the one before them: cutting just before one splits a letter or
# an emoji (combining marks, ZWJ, variation selectors, skin tones, emoji tag characters).
_JOINED: Final = re.compile("[\u200d\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]")
_ASCII_DIGITS: Final = re.compile("[0-9]+")


def quote_input(text: str, *, limit: int = QUOTE_MAX_CHARS) -> Html:
    """User text to show inside a reply: one line, each run of invisible controls shown as
    U+FFFD, at most `limit` characters (cut whole, ended with "…"), HTML-escaped."""
    line = _SPACES.sub(" ", text).strip()
    line = _INVISIBLE.sub(_HIDDEN, line)
    return escape(cut(line, limit))


def cut(text: str, limit: int) -> str:
    """At most `limit` characters, ending with "…" when cut; never between a character and the
    marks or joiners that belong to it."""
    if len(text) <= limit:
        return text
    end = max(limit - len(_ELLIPSIS), 0)
    while end > 0 and (_belongs_to_previous(text[end]) or text[end - 1] == "\u200d"):
        end -= 1
    return text[:end].rstrip() + _ELLIPSIS


def _belongs_to_previous(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Me", "Mc") or _JOINED.fullmatch(char) is not None


def parse_natural(text: str, *, maximum: int) -> int | None:
    """A whole number from 0 to `maximum` written in ASCII digits; None for anything else.

    The length is checked before `int()`: a 5,000-digit string is refused, not converted
    (Python raises ValueError beyond 4,300 digits), and so is "²", which `str.isdigit` accepts.
    """
    if len(text) > len(str(maximum)) or _ASCII_DIGITS.fullmatch(text) is None:
        return None
    number = int(text)
    return number if number <= maximum else None
