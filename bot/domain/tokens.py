"""Word tokenisation shared by tagging, language detection and near-duplicate detection.

An article is split once (`ArticleText`): one regex pass finds its tokens as written, which the
region tagger reads, and lower-casing them gives the words the topic tagger and the dedup
signature read. Per-word work elsewhere is remembered in bounded memos (`Memo`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import filterfalse
from typing import Final, TypeVar

_WORD: Final = re.compile(r"[^\W_]+")
# Words, plus dashes that stand between words (Kostanay – Turkestan); a hyphen inside a word
# (Bukhar-Zhyrau) only separates its parts.
_TOKEN: Final = re.compile(r"[^\W_]+|[–—]|(?<![^\W_])-(?![^\W_])")
DASHES: Final = frozenset("–—-")
# Lower-casing splits a word only here: "İ" becomes "i" and a combining dot, which is no letter.
_SPLITTING_DOT: Final = "\u0307"

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


def words_of_tokens(tokens: list[str], text: str) -> list[str]:
    """`words(text)`, from `raw_tokens(text)` without a second pass of the regex."""
    if not tokens:
        return []
    # One lower() over all tokens; no token holds a NUL.
    lowered = normalise("\0".join(tokens))
    if _SPLITTING_DOT in lowered:
        return words(text)
    return list(filterfalse(DASHES.__contains__, lowered.split("\0")))


@dataclass(frozen=True, slots=True)
class ArticleText:
    """An article's title and body, tokenised once for every tagger.

    `*_tokens` are `raw_tokens` of each text (for regions); `*_words` are `words` (for topics
    and the dedup signature).
    """

    title: str
    body: str
    title_tokens: tuple[str, ...]
    body_tokens: tuple[str, ...]
    title_words: tuple[str, ...]
    body_words: tuple[str, ...]

    @classmethod
    def of(cls, title: str, body: str) -> ArticleText:
        """Tokenise a title and body."""
        title_tokens = raw_tokens(title)
        body_tokens = raw_tokens(body)
        return cls(
            title=title,
            body=body,
            title_tokens=tuple(title_tokens),
            body_tokens=tuple(body_tokens),
            title_words=tuple(words_of_tokens(title_tokens, title)),
            body_words=tuple(words_of_tokens(body_tokens, body)),
        )
