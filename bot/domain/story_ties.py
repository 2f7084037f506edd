"""The facts two tellings of a story share, and how much each says that they are one story.

A figure with a unit of one kind (1 200 семей / 1,200 families) or a person's name weighs 2; a
day, a town, an organisation (its acronym, spelled alike), a figure in time units or a
distinctive figure whose unit one side did not read weighs 1. Figures within 3% are one figure
rounded; names are alike when their skeletons are.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import Final, NamedTuple

from bot.domain.figures import Day, Quantity
from bot.domain.skeletons import same_name
from bot.domain.story_facts import Named, StoryFacts
from bot.domain.unit_words import MINOR_UNITS, same_kind

# "1,48 млрд" and "1.5 billion", "17 350" and "17 thousand" are one figure; 300 km and 320 km two.
_CLOSE: Final = 0.03
# Bare figures this common ("10", "100") tie nothing when their units are unknown.
_COMMON: Final = frozenset([10.0, 20.0, 30.0, 50.0, 100.0, 1000.0])
_VALUE: Final = attrgetter("value")

Fact = Quantity | Day | Named


class Tie(NamedTuple):
    """A fact two tellings share, as the first one states it, and how much it weighs."""

    kind: str  # "quantity", "person", "day", "place" or "organisation"
    weight: int
    fact: Fact

    @property
    def bare(self) -> bool:
        """A figure tied by its value alone: unrelated stories share some by chance."""
        return isinstance(self.fact, Quantity) and self.weight == 1 and not self.fact.unit


def ties(a: StoryFacts, b: StoryFacts) -> list[Tie]:
    """The facts `a` shares with `b`, heaviest first, each in `a`'s words."""
    found = _quantity_ties(a.quantities, b.quantities)
    found += [Tie("person", 2, name) for name in shared_names(a.people, b.people)]
    found += [Tie("day", 1, day) for day in a.days if day in b.days]
    found += [Tie("place", 1, name) for name in shared_names(a.places, b.places)]
    theirs = {organisation.key for organisation in b.organisations}
    found += [Tie("organisation", 1, name) for name in a.organisations if name.key in theirs]
    found.sort(key=lambda tie: -tie.weight)
    return found


def story_ties(main: StoryFacts, others: Iterable[StoryFacts], *, most: int = 5) -> list[Tie]:
    """What ties a story's other versions to its main telling: the facts of `main` that any of
    them shares, heaviest first, each once, at most `most`."""
    found: dict[Fact, Tie] = {}
    for other in others:
        for tie in ties(main, other):
            found.setdefault(tie.fact, tie)
    return sorted(found.values(), key=lambda tie: -tie.weight)[:most]


def close(x: float, y: float) -> bool:
    """Whether two values are one figure, perhaps rounded."""
    return x == y or abs(x - y) <= _CLOSE * max(abs(x), abs(y))


def key_figure(quantity: Quantity) -> bool:
    """Whether a figure is one another telling should repeat: not a time span, and not a
    small or round number whose unit is unknown."""
    if quantity.unit:
        return quantity.unit not in MINOR_UNITS
    return quantity.value >= 10 and quantity.value not in _COMMON


def shared_names(mine: Sequence[Named], theirs: Sequence[Named]) -> list[Named]:
    """The names of `mine` that `theirs` names too (skeletons alike; places in one region)."""
    if not mine or not theirs:
        return []
    keys = {other.key for other in theirs}
    split = [key.rpartition(":") for key in keys]
    return [name for name in mine if name.key in keys or _alike(name.key, split)]


def _alike(key: str, others: list[tuple[str, str, str]]) -> bool:
    """Whether a key is like one of `others` (split by `str.rpartition(":")`): in one region,
    skeletons of about one length, with one first consonant, and alike."""
    region, _, name = key.rpartition(":")
    return any(
        region == other[0]
        and name[:1] == other[2][:1]  # transliterations keep the first consonant
        and abs(len(name) - len(other[2])) <= 2
        and same_name(name, other[2])
        for other in others
    )


def _quantity_ties(mine: Sequence[Quantity], theirs: Sequence[Quantity]) -> list[Tie]:
    """Shared figures, each of theirs tying once; theirs are sorted, so each of mine is
    compared only with the few values within 3% of it."""
    if not mine or not theirs:
        return []
    ordered = sorted(theirs, key=_VALUE)
    values = [quantity.value for quantity in ordered]
    used: set[int] = set()
    found: list[Tie] = []
    for quantity in mine:
        value = quantity.value
        low = bisect_left(values, value * (1 - _CLOSE))
        high = bisect_right(values, value / (1 - _CLOSE))
        for k in range(low, high):
            weight = 0 if k in used else _weight(quantity, ordered[k])
            if weight:
                found.append(Tie("quantity", weight, quantity))
                used.add(k)
                break
    return found


def _weight(mine: Quantity, theirs: Quantity) -> int:
    """How much two figures of close value tie: units of one kind 2 (time units 1), a
    distinctive value whose unit one side did not read 1, units of other kinds 0."""
    if mine.unit and theirs.unit:
        if not same_kind(mine.unit, theirs.unit):
            return 0
        return 1 if mine.unit in MINOR_UNITS else 2
    return 1 if key_figure(mine._replace(unit="")) else 0
