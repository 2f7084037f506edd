"""Whether two articles tell one story, judged from their story facts, precision first.

A veto comes first and holds for every pair, text matches included: two stories about other
regions, other towns, or other key figures of one kind (800 families / 1,200 families) are two
stories, however alike their wording ("new schools in Pavlodar" and "new schools in Akmola").
A text match already shows one story, so for it only regions that do not meet at all veto: a
copy cut short may lose a region named in the original. Tellings whose words differ (another
language, another outlet) must name the same regions, share a figure with its unit and enough
other distinctive facts (figures, people, days, towns; coincidental bare numbers do not
count), most of what the shorter telling states, and be published within a few days of each
other: a follow-up with new numbers is vetoed, an unrelated story of the place shares too little.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

from bot.domain.figures import Quantity
from bot.domain.story_facts import StoryFacts
from bot.domain.story_ties import close, key_figure, shared_names, ties
from bot.domain.taxonomy import NATIONAL
from bot.domain.unit_words import MINOR_UNITS

# Versions of one story appear within days; later ones are follow-ups or anniversaries.
WINDOW_DAYS: Final = 3
_MIN_WEIGHT: Final = 4  # e.g. two figures with units, or a figure, a day and a town
_MIN_COVERAGE: Final = 0.5  # share of the shorter telling's key facts found in the other


def conflict(a: StoryFacts, b: StoryFacts, *, same_text: bool = False) -> str | None:
    """Why two tellings cannot be one story ("regions", "places", "figures"), or None
    (`same_text`: their texts match, which only regions with nothing in common outweigh)."""
    if _other_regions(a.regions, b.regions, same_text=same_text):
        return "regions"
    if a.places and b.places and not shared_names(a.places, b.places):
        return "places"
    if _contradicting_figures(a.quantities, b.quantities):
        return "figures"
    return None


def fact_match(a: StoryFacts, b: StoryFacts) -> int:
    """How strongly the facts of two tellings with different words say they are one story:
    the weight of what they share, or 0 when they are not one story."""
    if abs(a.published - b.published) > WINDOW_DAYS or conflict(a, b) is not None:
        return 0
    found = ties(a, b)
    if not any(tie.kind == "quantity" and tie.weight == 2 for tie in found):
        return 0
    if sum(tie.weight for tie in found if not tie.bare) < _MIN_WEIGHT:
        return 0
    shared = sum(1 for tie in found if tie.kind in ("quantity", "person", "day"))
    if shared < _MIN_COVERAGE * min(key_fact_count(a), key_fact_count(b)):
        return 0
    return sum(tie.weight for tie in found)


def key_fact_count(facts: StoryFacts) -> int:
    """How many facts of a telling another telling of the story should repeat."""
    figures = sum(1 for quantity in facts.quantities if key_figure(quantity))
    return figures + len(facts.people) + len(facts.days)


def _other_regions(mine: Sequence[str], theirs: Sequence[str], *, same_text: bool) -> bool:
    if not mine or not theirs:
        return False
    if same_text:
        return NATIONAL not in mine and NATIONAL not in theirs and not set(mine) & set(theirs)
    return set(mine) != set(theirs)


def _contradicting_figures(mine: Sequence[Quantity], theirs: Sequence[Quantity]) -> bool:
    """Whether key figures contradict each other: in as many units as they agree in, and in
    one at least, the two tellings share no value (800 families and 1,200 families). One stray
    unit read differently (a births count, a bed called a place) does not outweigh several
    agreeing ones."""
    by_unit, other_by_unit = _by_unit(mine), _by_unit(theirs)
    agreeing = contradicting = 0
    for unit in by_unit.keys() & other_by_unit.keys():
        if any(close(x, y) for x in by_unit[unit] for y in other_by_unit[unit]):
            agreeing += 1
        else:
            contradicting += 1
    return contradicting > 0 and contradicting >= agreeing


def _by_unit(quantities: Iterable[Quantity]) -> dict[str, list[float]]:
    """Values by unit, of the units whose figures must agree (not time, not unknown)."""
    found: dict[str, list[float]] = {}
    for quantity in quantities:
        if quantity.unit and quantity.unit not in MINOR_UNITS:
            found.setdefault(quantity.unit, []).append(quantity.value)
    return found
