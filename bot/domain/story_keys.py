"""Fact keys: index keys under which two tellings of one story meet, whatever their language.

Each key is a region (the whole set of the article's regions, which two tellings of a story
share: `story_match.conflict` vetoes any other pair) joined with one distinctive fact (a figure
rounded to two significant digits, without its unit, which a translation may lose; a person's
skeleton; a day; a town) and with a window of publication days. Keys live beside the MinHash
band keys (the `article_band` table), so candidates come from equal keys, never from a pairwise
scan.
Publication days are cut into windows of `_WINDOW` days and every article is filed under its
window and the next, so any two articles published less than `_WINDOW` days apart share a
window, and a key shared by many articles is crowded out (`dedup.CROWDED`) only for a while.
"""

from __future__ import annotations

from functools import lru_cache
from hashlib import blake2b
from itertools import islice
from typing import Final

from bot.domain.story_facts import StoryFacts
from bot.domain.story_ties import key_figure

_WINDOW: Final = 4
_MOST_FIGURES: Final = 6
_MOST_PEOPLE: Final = 3
_MOST_DAYS: Final = 2
_MOST_PLACES: Final = 2
_MASK63: Final = (1 << 63) - 1
_MASK64: Final = (1 << 64) - 1
_SPREAD: Final = 0x9E3779B97F4A7C15
_SALT: Final = 0xBF58476D1CE4E5B9


def fact_keys(facts: StoryFacts | None) -> list[int]:
    """The fact keys of an article, each in [0, 2**63) like `minhash.band_keys`, two per fact:
    one for each of its windows, alternating; none when it states no distinctive fact (or was
    stored before facts were)."""
    if facts is None:
        return []
    anchor = ",".join(sorted(facts.regions)) or "-"
    figures = (quantity.value for quantity in facts.quantities if key_figure(quantity))
    atoms = [f"q{value:.2g}" for value in islice(figures, _MOST_FIGURES)]
    atoms += [f"p{person.key}" for person in facts.people[:_MOST_PEOPLE]]
    atoms += [f"d{day.month}-{day.day}" for day in facts.days[:_MOST_DAYS]]
    atoms += [f"l{place.key}" for place in facts.places[:_MOST_PLACES]]
    window = facts.published // _WINDOW
    keys: list[int] = []
    for atom in dict.fromkeys(atoms):
        keys += _atom_keys(f"{anchor}|{atom}", window)
    return keys


@lru_cache(maxsize=1 << 16)
def _atom_keys(anchored: str, window: int) -> tuple[int, int]:
    """The keys of an atom with its anchor in a window and the next, remembered: figures are
    rounded to two digits and a region's towns, people and days recur, so most atoms do."""
    base = _hashed(anchored)
    # Of the two windows, cut to 64 bits: `_mixed` keeps the low 64 bits of a product, which no
    # higher bit changes, and products of smaller numbers are faster.
    return (
        _mixed(base, window * _SPREAD & _MASK64),
        _mixed(base, (window + 1) * _SPREAD & _MASK64),
    )


def _hashed(text: str) -> int:
    """A stable 64-bit hash (Python's own `hash` of a string changes from run to run)."""
    return int.from_bytes(blake2b(text.encode(), digest_size=8).digest())


def _mixed(base: int, spread: int) -> int:
    """A 63-bit key of an atom's hash and a window's `spread` (the window times `_SPREAD`,
    modulo 2**64), by multiply-xorshift: every bit counts."""
    value = ((base ^ spread) * _SALT) & _MASK64
    return (value ^ (value >> 31)) & _MASK63
