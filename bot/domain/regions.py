"""Region tagging: which regions a story is about, or the whole country, with the evidence.

Mentions are weighted by where they occur (title, lead, rest of the body) into a tally, and
bot/domain/region_scores.py decides from it, with the publisher's gov.kz address as a hint. Some
mentions are passing by their form (bot/domain/passing_mentions.py): an agency's dateline does
not count, places listed three regions or more at a time count less, as examples do, and what
the opening sentence names (a region, or the country) tells which the story is about.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Final

from bot.domain.articles import Decision
from bot.domain.gazetteer import Gazetteer
from bot.domain.name_scan import Hit
from bot.domain.passing_mentions import (
    beside_a_place,
    enumerated,
    opening_sentence,
    split_dateline,
)
from bot.domain.region_scores import Tally, decide
from bot.domain.taxonomy import NATIONAL
from bot.domain.tokens import DASH
from bot.domain.words import ReadText, Word

if TYPE_CHECKING:
    from bot.domain.reading import ArticleWords

TITLE_WEIGHT: Final = 3.0
LEAD_WEIGHT: Final = 1.5
BODY_WEIGHT: Final = 1.0
WEAK_FACTOR: Final = 0.5
LEAD_WORDS: Final = 40
# A region in a list of three or more ("flights to Taraz, Kokshetau and Atyrau"): an example.
LISTED_FACTOR: Final = 0.5
# Repeated mentions add, but less: after this many in the body, each counts a quarter.
FULL_MENTIONS: Final = 4
REPEAT_FACTOR: Final = 0.25
NATIONAL_TITLE_WEIGHT: Final = 2.0
NATIONAL_CAP: Final = 6.0

LINK_WEIGHT: Final = 1.5
_LINKS: Final = frozenset([DASH, "to", "до"])
_URL: Final = re.compile(r"\S+://\S*")
_SENTENCE_END: Final = frozenset(".!?…:;\"«»“”'")


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
    tally = Tally()
    title_hits = gazetteer.scan(title_pieces, title_read.starts)
    _count(tally, gazetteer, title_hits, title_pieces, title, "title", 0, offset=0)
    dateline, body_hits = split_dateline(body, gazetteer.scan(body_pieces, body_read.starts))
    # Lists of examples matter only when no region is named in the title.
    listed = frozenset() if tally.title_regions else enumerated(body_hits, body_pieces)
    tally.lists = bool(listed)
    _count(
        tally,
        gazetteer,
        body_hits,
        body_pieces,
        body,
        "body",
        LEAD_WORDS,
        len(title_pieces),
        listed,
    )
    _count_links(tally, body_hits, body_pieces)
    publisher = gazetteer.publisher(source_url)
    if publisher.region is not None:
        tally.regional_cues += title_read.cues + body_read.cues
    for slug, signal, surface, weight, order in tally.weak:
        if slug in tally.scores or slug == publisher.region:
            tally.add(slug, signal, surface, weight, order)
    if publisher.region is None and not tally.title_regions and tally.national:
        tally.opening = _opening(body, body_hits)  # only then can the country be the subject
    if dateline is not None and not tally.scores:
        _count_dateline(tally, dateline, len(title_pieces))
    return decide(tally, publisher)


def _count_dateline(tally: Tally, dateline: Hit, offset: int) -> None:
    """The dateline's city for a story that names no place and not the country: a local story
    ("PAVLODAR. KAZINFORM – A bridge opened in the city")."""
    slug = dateline.name.slug
    if dateline.name.kind in ("region", "place") and slug is not None:
        tally.add(slug, "body", f"{dateline.surface} (dateline)", BODY_WEIGHT, offset)


def _opening(body: str, hits: list[Hit]) -> str | None:
    """What the body's first sentence names: a region (its subject), else the country, if
    either. A name is in it if its first word is (a later mention of it would be too)."""
    sentence = opening_sentence(body)
    opening = [hit.name for hit in hits if hit.surface.partition(" ")[0] in sentence]
    if any(name.kind in ("region", "place") for name in opening):
        return "region"
    return NATIONAL if any(name.slug == NATIONAL for name in opening) else None


def _count(
    tally: Tally,
    gazetteer: Gazetteer,
    hits: list[Hit],
    pieces: Sequence[Word],
    text: str,
    signal: str,
    lead: int,
    offset: int,
    listed: frozenset[int] = frozenset(),
) -> None:
    """Add the weight of each hit (`listed`: the indexes of hits that are list items)."""
    for index, hit in enumerate(hits):
        name, surface = hit.name, hit.surface
        if name.kind == "blocked":
            continue
        if name.kind == "regional":
            tally.regional_cues += 1
            continue
        if name.slug == NATIONAL:
            # N Kazakhstan is a region, Kazakhstan the country.
            initial = None
            if name.text in gazetteer.initialled:
                initial = gazetteer.initialled_name(hits, index, pieces)
            if initial is None:
                _count_national(tally, hit, signal, offset)
                continue
            name, surface = initial, f"{pieces[hit.start - 1].surface} {surface}"
        if signal == "title":
            weight = TITLE_WEIGHT
        else:
            weight = LEAD_WEIGHT if hit.start < lead else BODY_WEIGHT
            if listed and index in listed:
                weight *= LISTED_FACTOR
        if name.slug is None:
            continue
        if name.kind == "weak" and not beside_a_place(hits, index, pieces):
            tally.weak.append(
                (name.slug, signal, surface, weight * WEAK_FACTOR, offset + hit.start)
            )
            continue
        # A bare common word (Oral) may just open a sentence; its inflections (Оралда) may not.
        bare = name.cased and surface.lower() == name.text.lower()
        if bare and not _mid_sentence(text, surface):
            continue
        if signal == "title":
            if name.slug in tally.title_regions:
                continue
            tally.title_regions.add(name.slug)
        else:
            seen = tally.mentions[name.slug] = tally.mentions.get(name.slug, 0) + 1
            if seen > FULL_MENTIONS:
                weight *= REPEAT_FACTOR
            if listed and index not in listed:
                tally.unlisted.add(name.slug)
        tally.add(name.slug, signal, surface, weight, offset + hit.start)


def _count_national(tally: Tally, hit: Hit, signal: str, offset: int) -> None:
    """A word of the whole country: the country, its institutions, a phrase (nationwide)."""
    weight = NATIONAL_TITLE_WEIGHT if signal == "title" else BODY_WEIGHT
    tally.country_wide |= hit.name.kind == "national"
    tally.national = min(NATIONAL_CAP, tally.national + weight)
    tally.add(NATIONAL, signal, hit.surface, weight, offset + hit.start)


def _count_links(tally: Tally, hits: list[Hit], pieces: Sequence[Word]) -> None:
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
    """Whether a capitalised word occurs somewhere other than at a sentence start, or heads a
    headline's topic ("Oral: a new kindergarten").

    A common word (Oral, Нура) capitalised only because it opens a sentence names no place.
    """
    if surface + ":" in text:
        return True
    start = text.find(surface)
    while start >= 0:
        before = text[:start].rstrip()
        if before and before[-1] not in _SENTENCE_END:
            return True
        start = text.find(surface, start + 1)
    return False
