"""Text fit to store and show: no invisible controls, no direction tricks, bounded titles.

Feeds and pages are written by strangers. A NUL byte breaks PostgreSQL text columns, C0/C1
controls garble terminals and logs, a lone surrogate cannot be encoded as UTF-8, and the
bidirectional overrides (U+202A–U+202E, U+2066–U+2069) make "gpj.exe" read as "exe.jpg"
in a digest. A title is a line of a digest, not a page of text.
"""

from __future__ import annotations

import re
from typing import Final

TITLE_MAX_CHARS: Final = 500
_ELLIPSIS: Final = "…"

# Deleted: C0 and C1 controls other than tab and the line breaks, DEL, the bidirectional
# embeddings, overrides and isolates, and surrogates (only ever lone in a str).
_DROPPED: Final = dict.fromkeys(
    [
        *range(0x00, 0x09),
        *range(0x0E, 0x20),
        *range(0x7F, 0x85),
        *range(0x86, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        *range(0xD800, 0xE000),
    ]
)
# Line breaks other than LF (CR, VT, FF, NEL): a line feed in a body, a space in a title.
_BREAKS: Final = (0x0B, 0x0C, 0x0D, 0x85)
_IN_TEXT: Final = str.maketrans(_DROPPED | dict.fromkeys(_BREAKS, "\n"))
_IN_TITLE: Final = str.maketrans(_DROPPED | dict.fromkeys((0x09, 0x0A, *_BREAKS), " "))
# What each function changes: most texts pass this cheap test untouched.
_UNSAFE_IN_TEXT: Final = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_UNSAFE_IN_TITLE: Final = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def safe_text(text: str) -> str:
    """A body or summary without control characters other than tab and line feed (CR LF,
    CR, VT, FF and NEL become line feeds), bidirectional overrides and isolates, or lone
    surrogates. Idempotent; returns `text` itself when there is nothing to remove."""
    if _UNSAFE_IN_TEXT.search(text) is None:
        return text
    return text.replace("\r\n", "\n").translate(_IN_TEXT)


def safe_title(text: str, *, limit: int = TITLE_MAX_CHARS) -> str:
    """One line, cleaned like `safe_text` (line breaks and tabs become spaces, runs of spaces
    one), at most `limit` characters: cut at the last space in the second half of that
    length, else mid-word, and ended with "…". Idempotent."""
    if _UNSAFE_IN_TITLE.search(text) is not None:
        text = " ".join(text.translate(_IN_TITLE).split())
    return cut_title(text, limit)


def cut_title(text: str, limit: int = TITLE_MAX_CHARS) -> str:
    """At most `limit` characters, cut at a word boundary when one is near, marked with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(_ELLIPSIS)]
    space = cut.rfind(" ", limit // 2)
    if space > 0:
        cut = cut[:space]
    return cut.rstrip() + _ELLIPSIS
