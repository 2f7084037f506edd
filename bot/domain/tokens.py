"""Word tokenisation shared by tagging, language detection and near-duplicate detection.

An article is split once (bot.domain.reading): one regex pass finds its tokens as written, and
what each tagger needs of a token is worked out once per spelling and remembered in a bounded
memo (`Memo`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final, TypeVar

_WORD: Final = re.compile(r"[^\W_]+")
# Words, plus dashes that stand between words (Kostanay – Turkestan); a hyphen inside a word
# (Bukhar-Zhyrau) only separates its parts.
_TOKEN: Final = re.compile(r"[^\W_]+|[–—]|(?<![^\W_])-(?![^\W_])")
DASHES: Final = frozenset("–—-")
DASH: Final = "–"  # the normal form of every dash
CYRILLIC_LETTERS: Final = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі")

K = TypeVar("K")
V = TypeVar("V")


class Memo(dict[K, V]):
    """A bounded memo of a pure function; look values up with `memo[key]`.

    A hit is a plain dictionary lookup, so `map(memo.__getitem__, keys)` runs at C speed. When
    `limit` entries are reached they become an older generation that a miss consults first, so
    the keys in steady use survive the flush and memory stays under twice the limit.
    """

    __slots__ = ("_compute", "_limit", "_old")

    def __init__(self, compute: Callable[[K], V], limit: int) -> None:
        super().__init__()
        self._compute = compute
        self._limit = limit
        self._old: dict[K, V] = {}

    def __missing__(self, key: K) -> V:
        value = self._old[key] if key in self._old else self._compute(key)
        if len(self) >= self._limit:
            self._old = dict(self)
            self.clear()
        self[key] = value
        return value


def normalise(text: str) -> str:
    """Lower-case and fold ё to е, so Russian spellings with and without it compare equal."""
    return text.lower().replace("ё", "е")


def words(text: str) -> list[str]:
    """Normalised words: runs of letters and digits; punctuation and hyphens split them."""
    return _WORD.findall(normalise(text))


def raw_tokens(text: str) -> list[str]:
    """Words as written, and the dashes standing between words."""
    return _TOKEN.findall(text)


def is_cyrillic(word: str) -> bool:
    """Whether a word is written in Cyrillic (Russian or Kazakh)."""
    return any(char in CYRILLIC_LETTERS for char in word)


def split_glued(token: str) -> list[str]:
    """Split words glued by lost spaces: "KazakhstanA" → Kazakhstan, A; "2024Karaganda" too."""
    if token.isalpha() and (token.islower() or token.istitle() or token.isupper()):
        return [token]  # the usual word: no small letter before a capital, no digit
    if token.isdigit():
        return [token]
    parts: list[str] = []
    start = 0
    for i in range(1, len(token)):
        before, char = token[i - 1], token[i]
        if (before.islower() and char.isupper()) or (before.isdigit() != char.isdigit()):
            parts.append(token[start:i])
            start = i
    parts.append(token[start:])
    return parts


def normal_form(token: str) -> str:
    """The form taggers compare: `normalise`d, any dash as `DASH`, and a Latin i typed in a
    Kazakh word (Түркiстан) as the Kazakh і."""
    if token in DASHES:
        return DASH
    low = normalise(token)
    if "i" in low and is_cyrillic(low):
        low = low.replace("i", "і")
    return low


def normal_words(text: str) -> list[str]:
    """The normal forms of a text's tokens, glued tokens split: what `reading.WordReader` gives
    each `Word.low`, for callers without a reader."""
    return [normal_form(part) for token in raw_tokens(text) for part in split_glued(token)]
