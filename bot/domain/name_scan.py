"""Finding gazetteer names in a text: tokenise once, look each distinct token up once.

Names are indexed by the stem of their first word. A text's words come from the reader
(bot.domain.reading), which looks up only the words that may start a name; a text read here
alone is split by bot.domain.tokens.raw_tokens, each distinct token looked up once and remembered
in a bounded memo. Names of several words are matched from their first word, longest first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, NamedTuple

from bot.domain.name_forms import MAX_ENDING, Name, WordForm
from bot.domain.tokens import DASH, Memo, normal_form, raw_tokens
from bot.domain.words import CUE, Word

_CACHE_LIMIT: Final = 200_000
# Words are first checked against the first letters of every stem: most words start no name.
_PREFIX: Final = 3


class Hit(NamedTuple):
    """A name found in a text, covering words [start, end)."""

    name: Name
    start: int
    end: int
    surface: str


@dataclass(frozen=True, eq=False)
class Scanner:
    """Names indexed by the stem of their first word, plus a private memo of tokens seen."""

    _by_stem: Mapping[str, tuple[Name, ...]]
    _tokens: Memo[str, Word] = field(init=False, repr=False)
    _prefixes: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_tokens", Memo(self._token, _CACHE_LIMIT))
        # Stems of _PREFIX letters or more by their first _PREFIX letters; shorter ones whole.
        object.__setattr__(self, "_prefixes", frozenset(stem[:_PREFIX] for stem in self._by_stem))

    @classmethod
    def build(cls, names: Iterable[Name]) -> Scanner:
        """Index names by the stem of their first word."""
        by_stem: dict[str, list[Name]] = {}
        for name in names:
            by_stem.setdefault(name.forms[0].stem, []).append(name)
        return cls({stem: tuple(group) for stem, group in by_stem.items()})

    def first_stems(self) -> list[str]:
        """The stems that begin names: a word starts a name only if it begins with one."""
        return list(self._by_stem)

    def regional_cues(self, pieces: Sequence[Word]) -> int:
        """How many words speak of a region without naming it ("the region", "облыста")."""
        return sum(map(CUE, pieces))

    def pieces(self, text: str) -> list[Word]:
        """The words of a text with the names each may begin."""
        return list(map(self._tokens.__getitem__, raw_tokens(text)))

    def scan(
        self, pieces: Sequence[Word], starts: Mapping[int, tuple[Name, ...]] | None = None
    ) -> list[Hit]:
        """Names found in a text, longest match first, each word used at most once (`starts`:
        the names each word may begin, by index, for the words that begin any, when the caller
        has them)."""
        if starts is None:
            starts = {i: piece.starts for i, piece in enumerate(pieces) if piece.starts}
        hits: list[Hit] = []
        taken = 0
        for i, names in starts.items():
            if i < taken:
                continue
            name = names[0]
            if len(name.forms) == 1:  # the usual case: candidates are one word, checked already
                hits.append(Hit(name, i, i + 1, pieces[i].surface))
                taken = i + 1
                continue
            hit = _longest(names, pieces, i)
            if hit is not None:
                hits.append(hit)
                taken = hit.end
        return hits

    def _token(self, token: str) -> Word:
        return Word(token, *self.name_facts(token))

    def name_facts(self, token: str) -> tuple[str, bool, tuple[Name, ...], bool]:
        """A token's normalised form, whether it is capitalised, the names it may begin and
        whether it is a regional cue (the fields of a `Word` that the gazetteer decides)."""
        low = normal_form(token)
        if low == DASH:
            return DASH, False, (), False
        capital = token[:1].isupper()
        prefixes = self._prefixes
        if not (low[:_PREFIX] in prefixes or low[:1] in prefixes or low[:2] in prefixes):
            return low, capital, (), False
        starts: list[Name] = []
        cue = False
        for cut in range(len(low), max(len(low) - MAX_ENDING, 1) - 1, -1):
            for name in self._by_stem.get(low[:cut], ()):
                if name.forms[0].matches(low) and (capital or not name.capital):
                    if name.kind == "regional" and len(name.forms) == 1:
                        cue = True  # counted, not scanned: needed only when no place is named
                    else:
                        starts.append(name)
        starts.sort(key=lambda name: -len(name.forms))
        return low, capital, tuple(starts), cue


def _longest(candidates: tuple[Name, ...], pieces: Sequence[Word], start: int) -> Hit | None:
    """The longest candidate that matches at `start` (its first word, capital included, does)."""
    available = len(pieces) - start
    following: list[str] = []  # the normal forms of the next words, read as far as needed
    for name in candidates:
        forms = name.forms
        size = len(forms)
        if size > available:
            continue
        if size == 1:
            return Hit(name, start, start + 1, pieces[start].surface)
        if not following:
            following.append(pieces[start + 1].low)
        # Most candidates fail on their second word, so it is tested before any loop is set up.
        if forms[1].matches(following[0]) and _rest_follows(forms, pieces, start, following):
            surface = " ".join([pieces[k].surface for k in range(start, start + size)])
            return Hit(name, start, start + size, surface)
    return None


def _rest_follows(
    forms: tuple[WordForm, ...], pieces: Sequence[Word], start: int, following: list[str]
) -> bool:
    """Whether the words after the second one of a name starting at `start` match its forms
    (`following`: the normal forms of the words after `start` read so far; extended)."""
    for j in range(2, len(forms)):
        if j > len(following):
            following.append(pieces[start + j].low)
        if not forms[j].matches(following[j - 1]):
            return False
    return True
