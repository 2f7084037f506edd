"""Region tagging: which regions a story is about, or the whole country, with the evidence.

Mentions are weighted by where they occur (title, lead, rest of the body); the publisher's gov.kz
address is a hint. A region named only in passing does not win over the one the story is about,
and `national` never stands beside a region.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Final

from bot.domain.articles import Decision, Evidence
from bot.domain.gazetteer import Gazetteer, Publisher
from bot.domain.name_scan import Hit
from bot.domain.taxonomy import NATIONAL
from bot.domain.tokens import DASH
from bot.domain.words import ReadText, Word

if TYPE_CHECKING:
    from bot.domain.reading import ArticleWords

TITLE_WEIGHT: Final = 3.0
LEAD_WEIGHT: Final = 1.5
BODY_WEIGHT: Final = 1.0
WEAK_FACTOR: Final = 0.5
PUBLISHER_WEIGHT: Final = 2.5
LEAD_WORDS: Final = 40
# Repeated mentions add, but less: after this many in the body, each counts a quarter.
FULL_MENTIONS: Final = 4
REPEAT_FACTOR: Final = 0.25
NATIONAL_TITLE_WEIGHT: Final = 2.0
NATIONAL_CAP: Final = 6.0
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

LINK_WEIGHT: Final = 1.5
_LINKS: Final = frozenset([DASH, "to", "до"])
_URL: Final = re.compile(r"\S+://\S*")
_SENTENCE_END: Final = frozenset(".!?…:;\"«»“”'")


@dataclass(slots=True)
class _Tally:
    """Scores and evidence gathered from one article's text."""

    scores: dict[str, float] = field(default_factory=dict)
    first_seen: dict[str, int] = field(default_factory=dict)
    evidence: dict[tuple[str, str], list[tuple[str, float]]] = field(default_factory=dict)
    national: float = 0.0
    regional_cues: int = 0
    title_regions: set[str] = field(default_factory=set)
    weak: list[tuple[str, str, str, float, int]] = field(default_factory=list)
    mentions: dict[str, int] = field(default_factory=dict)

    def add(self, label: str, signal: str, text: str, weight: float, order: int) -> None:
        self.scores[label] = self.scores.get(label, 0.0) + weight
        self.first_seen.setdefault(label, order)
        self.evidence.setdefault((label, signal), []).append((text, weight))

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


def tag_regions(
    gazetteer: Gazetteer,
    *,
    title: str,
    body: str,
    source_url: str | None,
    text: ArticleWords | None = None,
) -> Decision:
    """Region slugs of an article, main first (or `national`), each explained by evidence.

    `text`, when given, is the article read by `reading.WordReader`: its words are used.
    """
    title_read = ReadText.of(gazetteer.pieces(title)) if text is None else text.title_words
    if "://" in body:
        body = _URL.sub(" ", body)
        body_read = ReadText.of(gazetteer.pieces(body))
    elif text is None:
        body_read = ReadText.of(gazetteer.pieces(body))
    else:
        body_read = text.body_words
    title_pieces, body_pieces = title_read.words, body_read.words
    tally = _Tally()
    _count(tally, gazetteer.scan(title_pieces, title_read.starts), title, "title", 0, offset=0)
    body_hits = gazetteer.scan(body_pieces, body_read.starts)
    _count(tally, body_hits, body, "body", lead=LEAD_WORDS, offset=len(title_pieces))
    _count_links(tally, body_hits, body_pieces)
    publisher = gazetteer.publisher(source_url)
    if publisher.region is not None:
        tally.regional_cues += title_read.cues + body_read.cues
    for slug, signal, surface, weight, order in tally.weak:
        if slug in tally.scores or slug == publisher.region:
            tally.add(slug, signal, surface, weight, order)
    return _decide(tally, publisher)


def _count(tally: _Tally, hits: list[Hit], text: str, signal: str, lead: int, offset: int) -> None:
    for hit in hits:
        name = hit.name
        if name.kind == "blocked":
            continue
        if name.kind == "regional":
            tally.regional_cues += 1
            continue
        if signal == "title":
            weight = NATIONAL_TITLE_WEIGHT if name.kind == "national" else TITLE_WEIGHT
        else:
            weight = LEAD_WEIGHT if hit.start < lead and name.kind != "national" else BODY_WEIGHT
        if name.kind == "national":
            tally.national = min(NATIONAL_CAP, tally.national + weight)
            tally.add(NATIONAL, signal, hit.surface, weight, offset + hit.start)
            continue
        if name.slug is None:
            continue
        if name.kind == "weak":
            tally.weak.append(
                (name.slug, signal, hit.surface, weight * WEAK_FACTOR, offset + hit.start)
            )
            continue
        # A bare common word (Oral) may just open a sentence; its inflections (Оралда) may not.
        bare = name.cased and hit.surface.lower() == name.text.lower()
        if bare and not _mid_sentence(text, hit.surface):
            continue
        if signal == "title":
            if name.slug in tally.title_regions:
                continue
            tally.title_regions.add(name.slug)
        else:
            seen = tally.mentions[name.slug] = tally.mentions.get(name.slug, 0) + 1
            if seen > FULL_MENTIONS:
                weight *= REPEAT_FACTOR
        tally.add(name.slug, signal, hit.surface, weight, offset + hit.start)


def _count_links(tally: _Tally, hits: list[Hit], pieces: Sequence[Word]) -> None:
    """Ends of links between regions (Kostanay – Turkestan, from Astana to Turkestan).

    The hub, already the main region, gets nothing; the other ends gain weight once each.
    """
    links: dict[str, str] = {}
    for left, right in pairwise(hits):
        a, b = left.name.slug, right.name.slug
        if a is None or b is None or a == b or NATIONAL in (a, b):
            continue
        if right.start - left.end != 1 or pieces[left.end].low not in _LINKS:
            continue
        if a in tally.scores and b in tally.scores:  # not an unsupported weak name
            for slug in (a, b):
                links.setdefault(slug, f"{left.surface} – {right.surface}")
    if links:
        hub = max(links, key=lambda slug: tally.scores[slug])
        for slug, text in links.items():
            if slug != hub:
                tally.add(slug, "body", text, LINK_WEIGHT, 10**9)


def _mid_sentence(text: str, surface: str) -> bool:
    """Whether a capitalised word occurs somewhere other than at a sentence start.

    A common word (Oral, Нура) capitalised only because it opens a sentence names no place.
    """
    start = text.find(surface)
    while start >= 0:
        before = text[:start].rstrip()
        if before and before[-1] not in _SENTENCE_END:
            return True
        start = text.find(surface, start + 1)
    return False


def _decide(tally: _Tally, publisher: Publisher) -> Decision:
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
    if _is_overview(tally, text_scores, home):
        return _national(tally)
    top = max(scores.values())
    if home is None and not tally.title_regions and tally.national > max(top, SECOND_MIN - 0.1):
        return _national(tally)  # a country-wide story with regional examples
    threshold = max(SECOND_MIN, SECOND_SHARE * top)
    ranked = sorted(scores, key=lambda slug: (-scores[slug], tally.first_seen.get(slug, 10**9)))
    labels = [slug for i, slug in enumerate(ranked) if i == 0 or scores[slug] >= threshold]
    labels = labels[:MAX_REGIONS]
    evidence = [item for slug in labels for item in tally.explain(slug)]
    return Decision(tuple(labels), tuple(evidence))


def _is_overview(tally: _Tally, text_scores: dict[str, float], home: str | None) -> bool:
    """Many regions with none dominant and none in the title: a country-wide round-up."""
    if tally.title_regions or (home is not None and home in text_scores):
        return False
    if len(text_scores) < SPREAD_REGIONS:
        return False
    return max(text_scores.values()) < SPREAD_SHARE * sum(text_scores.values())


def _without_place_names(tally: _Tally, publisher: Publisher) -> Decision:
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


def _national(tally: _Tally) -> Decision:
    evidence = tally.explain(NATIONAL) or [Evidence(NATIONAL, "default", "no region named", 0.0)]
    return Decision((NATIONAL,), tuple(evidence))
