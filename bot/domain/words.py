"""A word of an article with what every tagger needs to know of it, and the words of a text.

Region names and topic entries depend on the word alone, so the reader (bot.domain.reading)
works them out once per spelling, for the few words that may start one; each tagger then
walks the maps of those words and asks for any other word by index.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Final, NamedTuple, overload

from bot.domain.name_forms import Name
from bot.domain.tokens import normal_form
from bot.domain.topic_lexicon import Resolved


class Word(NamedTuple):
    """One token of a text as written, and what it means to each tagger.

    `low`: the normal form (bot.domain.tokens); `starts`: gazetteer names this word may begin
    (longest first); `cue`: a word like "region" or "облыс" that speaks of a region unnamed;
    `topics`: the topic entries it starts (None for none).
    """

    surface: str
    low: str
    capital: bool
    starts: tuple[Name, ...] = ()
    cue: bool = False
    topics: Resolved | None = None


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
    def of(cls, words: Sequence[Word]) -> ReadText:
        """The maps of a sequence of words."""
        starts = {i: word.starts for i, word in enumerate(words) if word.starts}
        topics = {i: word.topics for i, word in enumerate(words) if word.topics is not None}
        return cls(words, starts, sum(map(CUE, words)), topics)


class TextWords(Sequence[Word]):
    """The words of a text, each made when first asked for: taggers look at a few words one by
    one, and most at none.

    The text's tokens are `tokens[first:end]`, a list the texts of a batch share, as they share
    `known`: the words made already, by their index in that list (every word that may start a
    name or a topic entry comes made). Any other starts nothing, so `plain` makes it from its
    spelling alone.
    """

    __slots__ = ("_end", "_first", "_known", "_plain", "_tokens")

    def __init__(
        self,
        tokens: list[str],
        known: dict[int, Word],
        first: int,
        end: int,
        plain: Callable[[str], Word],
    ) -> None:
        self._tokens = tokens
        self._known = known
        self._first = first
        self._end = end
        self._plain = plain

    def __len__(self) -> int:
        return self._end - self._first

    @overload
    def __getitem__(self, index: int) -> Word: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Word]: ...
    def __getitem__(self, index: int | slice) -> Word | Sequence[Word]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        at = index + (self._first if index >= 0 else self._end)
        if not self._first <= at < self._end:
            raise IndexError(index)
        word = self._known.get(at)
        if word is None:
            word = self._known[at] = self._plain(self._tokens[at])
        return word


def plain_word(token: str) -> Word:
    """The word of a token that starts no name and no topic entry."""
    return Word(token, normal_form(token), token[:1].isupper())


class Lows(Sequence[str]):
    """The normal forms of a sequence of words, read on demand (phrase matching reads few)."""

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
