"""Deciding from an article's region scores: which regions it is about, or the whole country.

bot/domain/regions.py reads the mentions into a `Tally`; here the publisher's hint is added and
the labels chosen. A region must stand out to be labelled beside the main one; the country wins
when the story speaks of it more than of any region, opens on it, or names regions only as
examples (in a list, or all over the country with none dominant).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from bot.domain.articles import Decision, Evidence
from bot.domain.gazetteer import Publisher
from bot.domain.taxonomy import NATIONAL

PUBLISHER_WEIGHT: Final = 2.5
MINISTRY_WEIGHT: Final = 2.0
REGIONAL_CUE_WEIGHT: Final = 0.5
# Text must name another region this strongly to outweigh the akimat's own (a title mention).
SUBJECT_MIN: Final = 3.0
# A second region must score this much, absolutely and relative to the main one.
SECOND_MIN: Final = 2.0
SECOND_SHARE: Final = 0.4
MAX_REGIONS: Final = 4
# Many regions, none dominant, none in the title: a country-wide overview.
SPREAD_REGIONS: Final = 4
SPREAD_SHARE: Final = 0.4


@dataclass(slots=True)
class Tally:
    """Scores and evidence gathered from one article's text."""

    scores: dict[str, float] = field(default_factory=dict)
    first_seen: dict[str, int] = field(default_factory=dict)
    evidence: dict[tuple[str, str], list[tuple[str, float]]] = field(default_factory=dict)
    national: float = 0.0
    regional_cues: int = 0
    title_regions: set[str] = field(default_factory=set)
    weak: list[tuple[str, str, str, float, int]] = field(default_factory=list)
    mentions: dict[str, int] = field(default_factory=dict)
    # Whether the body lists regions, and those it names elsewhere too: the others are only
    # examples, unless in the title. Kept only when there is a list.
    lists: bool = False
    unlisted: set[str] = field(default_factory=set)
    # What the body's opening sentence names: a region, or else the country ("national").
    opening: str | None = None
    # A phrase that speaks of the whole country ("across the country"), not just its
    # institutions (a ministry, the government).
    country_wide: bool = False

    def add(self, label: str, signal: str, text: str, weight: float, order: int) -> None:
        self.scores[label] = self.scores.get(label, 0.0) + weight
        self.first_seen.setdefault(label, order)
        self.evidence.setdefault((label, signal), []).append((text, weight))

    def only_listed(self) -> bool:
        """Whether every region is named only in the body's lists."""
        return self.lists and not self.unlisted and not self.title_regions

    def explain(self, label: str) -> list[Evidence]:
        out = []
        for (name, signal), items in self.evidence.items():
            if name == label:
                words: dict[str, int] = {}
                for text, _weight in items:
                    words[text] = words.get(text, 0) + 1
                text = ", ".join(w if n == 1 else f"{w} ×{n}" for w, n in words.items())
                out.append(Evidence(label, signal, text, round(sum(w for _t, w in items), 2)))
        return out


def decide(tally: Tally, publisher: Publisher) -> Decision:
    """The labels of an article, main first, from its tally and its publisher."""
    text_scores = {slug: score for slug, score in tally.scores.items() if slug != NATIONAL}
    if publisher.ministry:
        tally.national += MINISTRY_WEIGHT
        tally.add(NATIONAL, "publisher", f"ministry: {publisher.entity}", MINISTRY_WEIGHT, -1)
    home = publisher.region
    if home is not None and home not in text_scores:
        if not text_scores or max(text_scores.values()) < SUBJECT_MIN:
            return _without_place_names(tally, publisher)
        home = None  # the akimat reports on somewhere else
    if not text_scores:
        return _national(tally)
    scores = dict(text_scores)
    if home is not None:
        scores[home] += PUBLISHER_WEIGHT
        tally.add(home, "publisher", f"gov.kz entity: {publisher.entity}", PUBLISHER_WEIGHT, 10**9)
    if _is_overview(tally, text_scores, home) or _only_examples(tally, home):
        return _national(tally)
    top = max(scores.values())
    if home is None and not tally.title_regions and _country_wide(tally, top):
        return _national(tally)  # a country-wide story with regional examples
    # Regions named only in a list, in no country-wide story: the list is what it is about.
    threshold = 0.0 if tally.only_listed() else max(SECOND_MIN, SECOND_SHARE * top)
    ranked = sorted(scores, key=lambda slug: (-scores[slug], tally.first_seen.get(slug, 10**9)))
    labels = [slug for i, slug in enumerate(ranked) if i == 0 or scores[slug] >= threshold]
    labels = labels[:MAX_REGIONS]
    evidence = [item for slug in labels for item in tally.explain(slug)]
    return Decision(tuple(labels), tuple(evidence))


def _is_overview(tally: Tally, text_scores: dict[str, float], home: str | None) -> bool:
    """Many regions with none dominant and none in the title: a country-wide round-up."""
    if tally.title_regions or (home is not None and home in text_scores):
        return False
    if len(text_scores) < SPREAD_REGIONS:
        return False
    return max(text_scores.values()) < SPREAD_SHARE * sum(text_scores.values())


def _country_wide(tally: Tally, top: float) -> bool:
    """A story that opens on the country and names each region once after that, or that speaks
    of the country more than of any region; the institutions alone (a ministry said …) do not
    outweigh a region named in the opening sentence."""
    if tally.opening == NATIONAL and max(tally.mentions.values(), default=0) <= 1:
        return True
    if tally.opening == "region" and not tally.country_wide:
        return False
    return tally.national > max(top, SECOND_MIN - 0.1)


def _only_examples(tally: Tally, home: str | None) -> bool:
    """A country-wide story that names regions only in lists ("flights to Taraz, Kokshetau and
    Atyrau will increase"); a warning for three listed regions alone is about those regions."""
    return home is None and tally.only_listed() and tally.national > 0


def _without_place_names(tally: Tally, publisher: Publisher) -> Decision:
    """The akimat's own region is not named, nor any other but in passing: the akimat's region,
    unless the story speaks of the whole country."""
    home = publisher.region
    if home is None:
        return _national(tally)
    support = PUBLISHER_WEIGHT + REGIONAL_CUE_WEIGHT * min(tally.regional_cues, 4)
    if tally.national > support:
        return _national(tally)
    evidence = Evidence(home, "publisher", f"gov.kz entity: {publisher.entity}", support)
    return Decision((home,), (evidence,))


def _national(tally: Tally) -> Decision:
    evidence = tally.explain(NATIONAL) or [Evidence(NATIONAL, "default", "no region named", 0.0)]
    return Decision((NATIONAL,), tuple(evidence))
