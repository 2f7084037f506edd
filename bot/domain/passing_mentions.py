"""Mentions of places that are passing by their form, whatever the story: an agency's dateline,
the items of a list, a place first named after the opening sentence.

The dateline ("ASTANA. KAZINFORM – …") names the city the agency writes from, not what the story
is about; a list of three regions or more ("flights to Taraz, Kokshetau and Atyrau") gives
examples, as a country-wide story does; and a story opens with what it is about ("Measles cases
in Kazakhstan rose by 20%"), so a region first named later is often an example ("most cases
were in Almaty").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from bot.domain.name_scan import Hit
from bot.domain.tokens import normal_words, raw_tokens
from bot.domain.words import Word

# A dateline opening a body: a place of up to three words, a full stop or comma (or a bracket),
# a short date or agency name, and a dash: "ASTANA. KAZINFORM –", "ALMATY, Dec 3 (Kazinform) –",
# "Астана. ҚазАқпарат –", "Петропавловск, 3 декабря –".
_DATELINE: Final = re.compile(
    r"\W*(?P<place>[^\W\d_]+(?:[ -][^\W\d_]+){0,2})\s*(?:[.,]|(?=\())"
    r"[^–—\n]{0,40}?(?:\s*[–—]|\s--?(?=\s))"
)
# The end of a sentence: a full stop (or !, ?, …), perhaps a closing quote, then a capital; not
# the full stop of a one-letter abbreviation (г. Алматы, N. Kazakhstan).
_SENTENCE_END: Final = re.compile(
    r"(?<![\s(][^\W\d_])[.!?…]+[\"»”']?\s*(?=[A-ZА-ЯЁӘҒҚҢӨҰҮҺІÁǴŃÓÚÝÄĞÑÖÜŞ])"
)
# Words that may stand between the items of a list (commas are no words).
_LIST_JOINS: Final = frozenset([
    "and", "or", "as", "well", "also", "и", "или", "а", "также", "және", "мен", "бен", "пен",
    "немесе", "jáne", "jane", "men", "ben", "pen", "nemese",
])  # fmt: skip
_JOINS_BETWEEN: Final = 2
LIST_REGIONS: Final = 3
_NONE: Final[frozenset[int]] = frozenset()


def split_dateline(body: str, hits: list[Hit]) -> tuple[Hit | None, list[Hit]]:
    """The place of the body's dateline, if it opens with one, and the body's other names.

    The place must fill the dateline's head, and nothing between it and the dash may be a name
    ("Almaty, Astana and Shymkent – …" is a list, not a dateline). A story about that city
    names it again, and those mentions count.
    """
    if not hits or hits[0].start != 0:
        return None, hits
    match = _DATELINE.match(body)
    if match is None or hits[0].end != len(raw_tokens(match["place"])):
        return None, hits
    if len(hits) > 1 and hits[1].start < len(normal_words(match[0])):
        return None, hits
    return hits[0], hits[1:]


def opening_sentence(body: str) -> str:
    """The body's first sentence, after its dateline if it has one (all of it when no sentence
    ends)."""
    dateline = _DATELINE.match(body)
    start = dateline.end() if dateline else 0
    end = _SENTENCE_END.search(body, start)
    return body[start : len(body) if end is None else end.start()].strip()


def enumerated(hits: list[Hit], pieces: Sequence[Word]) -> frozenset[int]:
    """The indexes of hits that are items of a list naming `LIST_REGIONS` regions or more.

    Items follow one another with nothing but commas or a joining word or two between them.
    """
    if len(hits) < LIST_REGIONS:
        return _NONE
    # The usual case, no list at all, is decided on the hits alone, without reading a word (a
    # plain loop is the cheapest way in Python): items are close and name other regions. The
    # first hit counts as close to itself.
    close = 0
    end = hits[0].end
    slug = None
    for hit in hits:
        if hit.start - end <= _JOINS_BETWEEN and hit.name.slug != slug:
            close += 1
        end = hit.end
        slug = hit.name.slug
    return _NONE if close < LIST_REGIONS else _list_items(hits, pieces)


def beside_a_place(hits: list[Hit], k: int, pieces: Sequence[Word]) -> bool:
    """Whether hit `k` is listed next to a region or place: a weak name there (Jambyl jáne
    Almaty oblystarynda; Temir, Mugalzhar districts) names a place, not a person."""
    before = k > 0 and _is_place(hits[k - 1]) and _joined(hits[k - 1], hits[k], pieces)
    return before or (
        k + 1 < len(hits) and _is_place(hits[k + 1]) and _joined(hits[k], hits[k + 1], pieces)
    )


def _is_place(hit: Hit) -> bool:
    return hit.name.kind in ("region", "place")


def _list_items(hits: list[Hit], pieces: Sequence[Word]) -> frozenset[int]:
    listed: list[int] = []
    first = 0  # the first hit of the current run
    for k in range(1, len(hits) + 1):
        if k < len(hits) and _joined(hits[k - 1], hits[k], pieces):
            continue
        if k - first >= LIST_REGIONS and _regions(hits[first:k]) >= LIST_REGIONS:
            listed += range(first, k)
        first = k
    return frozenset(listed)


def _joined(left: Hit, right: Hit, pieces: Sequence[Word]) -> bool:
    """Whether nothing but commas and words joining list items (and, и, және) part two hits."""
    gap = right.start - left.end
    return gap <= _JOINS_BETWEEN and all(
        pieces[i].low in _LIST_JOINS for i in range(left.end, right.start)
    )


def _regions(run: list[Hit]) -> int:
    return len({hit.name.slug for hit in run if hit.name.kind in ("region", "place", "weak")})
