"""The facts two tellings of a story share, and how much each says that they are one story.

A figure with a unit of one kind (1 200 семей / 1,200 families) or a person's name weighs 2; a
day, a town, an organisation (its acronym, spelled alike), a figure in time units or a
distinctive figure whose unit one side did not read weighs 1. Figures within 3% are one figure
rounded; names are alike when their skeletons are.
"""

from __future__ import annotations

import math
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
# Figures within 3% of each other lie at most one step apart on this logarithmic scale (the 1%
# margin covers rounding), so figures further apart are never close (see `unit_figure_marks`).
_STEP: Final = -math.log(1 - _CLOSE) * 1.01
_ZERO_MARK: Final = 1 << 40  # the mark of 0, never a step (|log| of a float is below 750)
# Near the limits of floats, the bounds `_quantity_ties` computes lose precision: a figure out of
# this range (or not a number) turns the screen off.
_SCREENED: Final = (1e-300, 1e300)

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


def unit_figure_marks(quantities: Sequence[Quantity]) -> tuple[int, ...] | None:
    """The steps of the figures with a unit (but negative ones, which tie none of
    `unit_figure_reach`), for `may_tie_unit_figure`; None when a figure is not a number (which
    leaves the order `_quantity_ties` sorts in undefined) or out of the screened range, so that
    nothing is screened out."""
    if math.isnan(sum([quantity.value for quantity in quantities])):
        return None
    values = [quantity.value for quantity in quantities if quantity.unit and quantity.value >= 0]
    return tuple(map(_mark, values)) if _screened(values) else None


def unit_figure_reach(quantities: Sequence[Quantity]) -> frozenset[int] | None:
    """The steps at which a figure of another telling may tie one of these key figures with a
    unit at weight 2: the step of each and, but for 0, its neighbours (a negative figure's window
    in `_quantity_ties` is empty); None when one is out of the screened range."""
    values = [
        quantity.value
        for quantity in quantities
        if quantity.unit and quantity.unit not in MINOR_UNITS
    ]
    if not _screened(values):
        return None
    reach: set[int] = set()
    for value in values:
        if value > 0:
            mark = _mark(value)
            reach.update((mark - 1, mark, mark + 1))
        elif value == 0:
            reach.add(_ZERO_MARK)
    return frozenset(reach)


def may_tie_unit_figure(reach: frozenset[int] | None, marks: tuple[int, ...] | None) -> bool:
    """Whether a telling of `unit_figure_reach` `reach` may share a figure with a unit at weight
    2 with one of `unit_figure_marks` `marks`. False proves that `ties` finds no such tie, so it
    need not run: most candidates found by fact keys share no such figure."""
    return reach is None or marks is None or not reach.isdisjoint(marks)


def _screened(values: list[float]) -> bool:
    """Whether every value is 0 or of the screened range in magnitude (so not a NaN)."""
    low, high = _SCREENED
    return all(value == 0 or low <= abs(value) <= high for value in values)


def _mark(value: float) -> int:
    """The step of a figure of the screened range that is not negative."""
    return _ZERO_MARK if value == 0 else math.floor(math.log(value) / _STEP)


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
