"""Reading a whole text at once over its code points: tokens, dedup shingles, and which tokens
may start a gazetteer name or a topic entry.

Looking every token up in a memo of spellings costs a trip to memory per token once the memo
outgrows the cache, which a news stream's vocabulary soon makes it do. Here a text becomes an
array of code points, and a few numpy passes over it find the token boundaries (as
`tokens.raw_tokens` does), the normal forms (`tokens.normal_form`), every word's shingles
(`shingles.word_shingles`) and the tokens that begin with a gazetteer stem or a topic entry;
only those few (about one token in six) are looked up one by one.

Prefixes are compared by hash: with `G[p]` the sum of `c[q] * B**q` over the code points before
`p`, the hash of the text from `s` to `e` is `(G[e] - G[s]) * B**-s` (mod 2**64, `B` odd), the
same polynomial as `shingles.polynomial_hash`. A table of 2**20 flags indexed by the top bits of a
hash marks the hashes of known stems; a false mark only sends a token the slow way, which decides.

A text holding anything the tables cannot answer (characters beyond the Basic Multilingual
Plane, or a letter that lower-cases to two) is left to the token-by-token reader: `scan`
returns None. Tokens glued together ("KazakhstanA") are cut where `tokens.split_glued` cuts them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from bot.domain.char_tables import (
    CAPITAL,
    DASH_MARK,
    DIGIT,
    HYPHEN,
    LETTER,
    ODD_LETTER,
    PLANE,
    SMALL,
    CharTables,
    char_tables,
)
from bot.domain.shingles import (
    HASH_BASE,
    NUMBER_WEIGHT,
    STEM_CHARS,
    polynomial_hash,
    stem_shingles,
)

U8 = npt.NDArray[np.uint8]
U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]

_MASK64: Final = (1 << 64) - 1
_TABLE_BITS: Final = 20
_TABLE_SHIFT: Final = np.uint64(64 - _TABLE_BITS)
# Hashes of short strings are small numbers: multiplying by an odd constant spreads them over the
# top bits, which index the table (Fibonacci hashing).
_SPREAD: Final = 0x9E3779B97F4A7C15
_U64_SPREAD: Final = np.uint64(_SPREAD)
# Powers kept between texts: enough for a batch of articles (bot.domain.reading reads ~150,000
# characters at a time, plus one article); one outsized text gets its own, dropped after it.
_KEPT_POWERS: Final = 1 << 20
_LATIN_I: Final = ord("i")
_KAZAKH_I: Final = ord("і")
_ZERO: Final = ord("0")
_FIRST_CYRILLIC: Final = 0x400

# Bits of the stem table.
NAME_STEM: Final = 1  # the stem of a gazetteer name's first word
TOPIC_STEM: Final = 2  # a topic entry's first word, as a stem (the word may go on)
TOPIC_WORD: Final = 4  # a topic entry's first word, exactly


@dataclass(frozen=True, slots=True)
class TextScan:
    """A text's tokens as spans, which of them may start a name or entry, and its shingles.

    `primary` holds the shingles of the content words and `primary_at` the token each came
    from; `extra` and `extra_at` the extra shingles of numbers, likewise (both ascending).
    """

    starts: I64
    ends: I64
    candidates: list[int]  # token indexes, ascending
    primary: U32
    primary_at: I64
    extra: U32
    extra_at: I64

    def shingles(self, bounds: Sequence[int]) -> list[U32]:
        """The shingles of the tokens between each two consecutive `bounds` (token indexes,
        ascending): one array per range, as `content_shingles` would give for its words."""
        primary = np.searchsorted(self.primary_at, bounds).tolist()
        extra = np.searchsorted(self.extra_at, bounds).tolist()
        return [
            np.concatenate(
                (self.primary[primary[k] : primary[k + 1]], self.extra[extra[k] : extra[k + 1]])
            )
            for k in range(len(bounds) - 1)
        ]


class BulkReader:
    """Scans texts for one gazetteer and topic lexicon (their first-word stems, hashed)."""

    def __init__(
        self,
        *,
        name_stems: Iterable[str],
        topic_stems: Iterable[str],
        topic_words: Iterable[str],
        max_ending: int,
    ) -> None:
        self._chars: CharTables = char_tables()
        self._max_ending = max_ending
        table = np.zeros(1 << _TABLE_BITS, dtype=np.uint8)
        for flag, stems in (
            (NAME_STEM, name_stems),
            (TOPIC_STEM, topic_stems),
            (TOPIC_WORD, topic_words),
        ):
            for stem in stems:
                table[_slot(polynomial_hash(stem))] |= flag
        self._stems: U8 = table
        self._powers: U64 = np.empty(0, dtype=np.uint64)
        self._inverses: U64 = np.empty(0, dtype=np.uint64)

    def scan(self, text: str) -> TextScan | None:
        """The tokens of a text and their facts; None when the text needs the slow reader."""
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        size = len(points)
        if size == 0:
            none, nowhere = np.empty(0, dtype=np.uint32), np.empty(0, dtype=np.int64)
            return TextScan(nowhere, nowhere, [], none, nowhere, none, nowhere)
        highest = int(points.max())
        if highest >= PLANE:
            return None
        chars = self._chars
        kind = chars.kind[points]
        if int(kind.max()) == ODD_LETTER:
            return None
        letter = np.zeros(size + 2, dtype=np.bool_)
        letter[1:-1] = kind == LETTER
        before, inside, after = letter[:-2], letter[1:-1], letter[2:]
        # A dash is a token; a hyphen only with no word on either side.
        dash = (kind == DASH_MARK) | ((kind == HYPHEN) & ~before & ~after)
        opening = (inside & ~before) | dash
        closing = (inside & ~after) | dash
        in_word = inside[1:] & inside[:-1]  # pairs of neighbours in one run of letters
        glued = _glue_points(chars.case[points], in_word)
        if glued.any():  # "KazakhstanA": a word ends and another begins between two letters
            opening[1:] |= glued
            closing[:-1] |= glued
        starts = np.flatnonzero(opening)
        ends = np.flatnonzero(closing) + 1
        low = chars.low[points]
        if highest >= _FIRST_CYRILLIC:
            cyrillic = chars.cyrillic[low]
            # Only a word of mixed scripts may hold a Latin i to fix; few texts have one.
            if (in_word & ~glued & (cyrillic[1:] != cyrillic[:-1])).any():
                _fix_latin_i(low, cyrillic, starts, ends)
        powers, inverses = self._tables(size)
        prefix = np.zeros(size + 1, dtype=np.uint64)
        np.cumsum(low * powers[:size], out=prefix[1:])
        lengths = ends - starts
        words = inside[starts]
        primary, primary_at, extra, extra_at = self._shingles(
            prefix, inverses, low, starts, lengths
        )
        candidates = self._candidates(
            prefix, inverses, np.flatnonzero(inside), starts[words], lengths[words]
        )
        word_index = np.flatnonzero(words)
        chosen = sorted(set(word_index[candidates].tolist()))
        return TextScan(starts, ends, chosen, primary, primary_at, extra, extra_at)

    def _shingles(
        self, prefix: U64, inverses: U64, low: U32, starts: I64, lengths: I64
    ) -> tuple[U32, I64, U32, I64]:
        """The shingles of every token of two characters or more (dashes have one), and the
        token each came from: primary ones, then the extra ones of numbers."""
        counted = np.flatnonzero(lengths >= 2)
        first = starts[counted]
        stem_ends = first + np.minimum(lengths[counted], STEM_CHARS)
        stems = (prefix[stem_ends] - prefix[first]) * inverses[first]
        numbers = (low[first] - np.uint32(_ZERO)) < np.uint32(10)
        primary, content, extra = stem_shingles(stems, numbers)
        primary_at = counted[content]
        extra_at = np.repeat(primary_at[numbers[content]], NUMBER_WEIGHT - 1)
        return primary, primary_at, extra, extra_at

    def _candidates(
        self, prefix: U64, inverses: U64, letters: I64, starts: I64, lengths: I64
    ) -> I64:
        """Indexes (among the words) of words that may begin a name or a topic entry: some
        prefix of theirs is marked in the stem table, at a length that could match.

        `letters`: the position of every letter of the text, so the words' letters one word
        after the other; each ends a prefix of its word.
        """
        word_ends = np.cumsum(lengths)  # in `letters`, one past each word's last letter
        hashes = prefix[1:][letters]
        hashes -= np.repeat(prefix[starts], lengths)
        hashes *= np.repeat(inverses[starts], lengths)
        hashes *= _U64_SPREAD
        hashes >>= _TABLE_SHIFT
        flags = self._stems[hashes]
        marked = np.flatnonzero(flags & (NAME_STEM | TOPIC_STEM))
        owners = np.searchsorted(word_ends, marked, side="right")
        # A name stem is followed by at most `max_ending` letters; topic stems may go on.
        near_end = word_ends[owners] - marked <= self._max_ending + 1
        fits = near_end | (flags[marked] & TOPIC_STEM).astype(np.bool_)
        whole = np.flatnonzero(flags[word_ends - 1] & TOPIC_WORD)
        found: I64 = np.concatenate((owners[fits], whole))
        return found

    def _tables(self, size: int) -> tuple[U64, U64]:
        """Powers of the base and of its inverse, for texts of up to `size` code points (kept
        for the next text, unless an outsized one asked for more than `_KEPT_POWERS`)."""
        if len(self._powers) >= size:
            return self._powers, self._inverses
        length = max(size, min(2 * len(self._powers), _KEPT_POWERS), 4096)
        powers = _powers(HASH_BASE, length)
        inverses = _powers(pow(HASH_BASE, -1, 1 << 64), length)
        if length <= _KEPT_POWERS:
            self._powers, self._inverses = powers, inverses
        return powers, inverses


def _slot(hashed: int) -> int:
    """The stem table's slot for a hash (as `_candidates` computes it for arrays)."""
    return ((hashed * _SPREAD) & _MASK64) >> (64 - _TABLE_BITS)


def _powers(base: int, count: int) -> U64:
    """base**0 .. base**(count-1), mod 2**64."""
    factors = np.full(count, base, dtype=np.uint64)
    factors[0] = 1
    powers: U64 = np.cumprod(factors, dtype=np.uint64)
    return powers


def _glue_points(case: U8, in_word: Flags) -> Flags:
    """Between which two letters of a word (a small letter and a capital, a digit and a
    non-digit) `tokens.split_glued` cuts it: entry p is the pair (p, p + 1)."""
    before, after = case[:-1], case[1:]
    small_capital = (before & SMALL).astype(np.bool_) & (after & CAPITAL).astype(np.bool_)
    digit_change = ((before ^ after) & DIGIT).astype(np.bool_)
    glued: Flags = in_word & (small_capital | digit_change)
    return glued


def _fix_latin_i(low: U32, cyrillic: U8, starts: I64, ends: I64) -> None:
    """Make a Latin i typed in a Cyrillic word the Kazakh і, as `tokens.normal_form` does
    (`cyrillic`: 1 for each Cyrillic character of `low`)."""
    latin = np.flatnonzero(low == _LATIN_I)
    if len(latin) == 0:
        return
    token = np.searchsorted(starts, latin, side="right") - 1  # every letter is in a token
    seen = np.zeros(len(low) + 1, dtype=np.int64)
    np.cumsum(cyrillic, out=seen[1:])
    in_cyrillic = seen[ends[token]] > seen[starts[token]]
    low[latin[in_cyrillic]] = _KAZAKH_I
