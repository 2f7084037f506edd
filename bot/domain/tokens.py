"""Word tokenisation shared by tagging, language detection and near-duplicate detection.

An article is split once (`ArticleText`) and its words are shared by the topic tagger and the
dedup signature; the region tagger reuses the same whitespace chunks. Work per chunk and per
word is remembered in bounded memos, so a word seen before costs one dictionary lookup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain
from typing import Final, TypeVar

_WORD: Final = re.compile(r"[^\W_]+")
_CHUNK_LIMIT: Final = 200_000

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


def _chunk_words(chunk: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(normalise(chunk)))


# Words never span white space, so a text's words are its chunks' words in order.
_CHUNK_WORDS: Final[Memo[str, tuple[str, ...]]] = Memo(_chunk_words, _CHUNK_LIMIT)


def chunk_words(chunks: Iterable[str]) -> list[str]:
    """The normalised words of whitespace-separated chunks (as `str.split` gives them)."""
    return list(chain.from_iterable(map(_CHUNK_WORDS.__getitem__, chunks)))


def words(text: str) -> list[str]:
    """Normalised words: runs of letters and digits; punctuation and hyphens split them."""
    return chunk_words(text.split())


@dataclass(frozen=True, slots=True)
class ArticleText:
    """An article's title and body, split into chunks and words once for every tagger.

    `*_chunks` are `str.split()` of each text; `*_words` are `words()` of each text.
    """

    title: str
    body: str
    title_chunks: tuple[str, ...]
    body_chunks: tuple[str, ...]
    title_words: tuple[str, ...]
    body_words: tuple[str, ...]

    @classmethod
    def of(cls, title: str, body: str) -> ArticleText:
        """Split a title and body."""
        title_chunks = tuple(title.split())
        body_chunks = tuple(body.split())
        return cls(
            title=title,
            body=body,
            title_chunks=title_chunks,
            body_chunks=body_chunks,
            title_words=tuple(chunk_words(title_chunks)),
            body_words=tuple(chunk_words(body_chunks)),
        )
