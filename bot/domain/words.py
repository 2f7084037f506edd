"""A word of an article with what every tagger needs to know of it, computed once per spelling.

Region names and topic entries depend on the word alone, so the tagger's reader
(bot.domain.reading) works them out the first time it meets a spelling and remembers the `Word`;
each tagger then reads the fields it needs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from typing import Final, NamedTuple, overload

import numpy as np
import numpy.typing as npt

from bot.domain.name_forms import Name
from bot.domain.topic_lexicon import Resolved


class Word(NamedTuple):
    """One token of a text as written, and what it means to each tagger.

    `starts`: gazetteer names this word may begin (longest first); `cue`: a word like "region"
    or "облыс" that speaks of a region unnamed; `topics`: the topic entries it starts (None for
    none); `parts`: the words of a token glued from several ("KazakhstanA"), empty for every
    ordinary token.
    """

    surface: str
    low: str
    capital: bool
    starts: tuple[Name, ...] = ()
    cue: bool = False
    topics: Resolved | None = None
    parts: tuple[Word, ...] = ()


CUE: Final = attrgetter("cue")


@dataclass(frozen=True, slots=True)
class ReadText:
    """The words of one text, and the few of them that start something.

    `starts`: the gazetteer names each word starting one may begin, by word index (ascending);
    `topics`: what each word starting a topic entry starts, likewise; `cues`: how many words are
    regional cues. Most words start nothing, so the taggers walk these maps, not the words.
    """

    words: Sequence[Word]
    starts: Mapping[int, tuple[Name, ...]]
    cues: int
    topics: Mapping[int, Resolved]

    @classmethod
    def of(cls, words: list[Word]) -> ReadText:
        """The maps of a list of words; a glued token is replaced by its parts first."""
        if any(word.parts for word in words):
            return cls.of(list(chain.from_iterable(word.parts or (word,) for word in words)))
        starts = {i: word.starts for i, word in enumerate(words) if word.starts}
        topics = {i: word.topics for i, word in enumerate(words) if word.topics is not None}
        return cls(words, starts, sum(map(CUE, words)), topics)


class SpanWords(Sequence[Word]):
    """The words of a text read in bulk (bot.domain.bulk_reading), each made when first asked
    for: the taggers look at a few words one by one, and most at none.

    `known` holds the words already made, by index: every word that may start a name or a topic
    entry. Any other starts nothing, so `plain` makes it from its spelling alone (and it is then
    kept in `known`).
    """

    __slots__ = ("_ends", "_known", "_plain", "_starts", "_text")

    def __init__(
        self,
        text: str,
        starts: npt.NDArray[np.int64],
        ends: npt.NDArray[np.int64],
        known: dict[int, Word],
        plain: Callable[[str], Word],
    ) -> None:
        self._text = text
        self._starts = starts
        self._ends = ends
        self._known = known
        self._plain = plain

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, index: int) -> Word: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Word]: ...
    def __getitem__(self, index: int | slice) -> Word | Sequence[Word]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        if index < 0:
            index += len(self._starts)
        word = self._known.get(index)
        if word is None:
            word = self._plain(self._text[self._starts[index] : self._ends[index]])
            self._known[index] = word
        return word


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
