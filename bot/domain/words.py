"""A word of an article with what every tagger needs to know of it, computed once per spelling.

Region names, topic entries and dedup shingles all depend on the word alone, so the tagger's
reader (bot.domain.reading) works them out the first time it meets a spelling and remembers the
`Word`; an article then costs one dictionary lookup per token, and each tagger reads its field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from typing import Final, NamedTuple, overload

from bot.domain.name_forms import Name
from bot.domain.shingles import NO_SHINGLE
from bot.domain.topic_lexicon import Resolved


class Word(NamedTuple):
    """One token of a text as written, and what it means to each tagger.

    `starts`: gazetteer names this word may begin (longest first); `cue`: a word like "region"
    or "облыс" that speaks of a region unnamed; `topics`: the topic entries it starts (None for
    none); `shingle` and `extra`: its dedup shingles (`NO_SHINGLE` for a stopword); `parts`: the
    words of a token glued from several ("KazakhstanA"), empty for every ordinary token.
    """

    surface: str
    low: str
    capital: bool
    starts: tuple[Name, ...] = ()
    cue: bool = False
    topics: Resolved | None = None
    shingle: int = NO_SHINGLE
    extra: tuple[int, ...] = ()
    parts: tuple[Word, ...] = ()


STARTS: Final = attrgetter("starts")
CUE: Final = attrgetter("cue")


@dataclass(frozen=True, slots=True)
class ReadText:
    """The words of one text, and each field of theirs as a column.

    One transposition (`zip(*words)`, in C) gives every tagger its column at once, which is
    cheaper than each tagger pulling its field out of every word.
    """

    words: list[Word]
    starts: tuple[tuple[Name, ...], ...]
    cues: tuple[bool, ...]
    topics: tuple[Resolved | None, ...]
    shingles: tuple[int, ...]
    extras: tuple[tuple[int, ...], ...]

    @classmethod
    def of(cls, words: list[Word]) -> ReadText:
        """Columns of a list of words; a glued token is replaced by its parts first."""
        if not words:
            return cls(words, (), (), (), (), ())
        _, _, _, starts, cues, topics, shingles, extras, parts = zip(*words, strict=True)
        if any(parts):
            return cls.of(list(chain.from_iterable(word.parts or (word,) for word in words)))
        return cls(words, starts, cues, topics, shingles, extras)


class Lows(Sequence[str]):
    """The normalised spellings of a list of words, read on demand (phrase matching reads few)."""

    __slots__ = ("_words",)

    def __init__(self, words: Sequence[Word]) -> None:
        self._words = words

    def __len__(self) -> int:
        return len(self._words)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [word.low for word in self._words[index]]
        return self._words[index].low
