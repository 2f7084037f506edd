"""Whether an article is an urgent local alert (an outage, a warning, a closure), precision first.

The rules are stated at the top of seeds/alerts.toml: an event entry in the title or lead, a
sign that the event is now or about to be, and no sign of a report on the past or a plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

from bot.domain.alert_lexicon import ALERT_CATEGORIES, AlertLexicon, found_entries, word_hits
from bot.domain.alert_times import EventTimes, read_event_times
from bot.domain.tokens import words

__all__ = ["ALERT_CATEGORIES", "CATEGORY_EMOJI", "UrgentNotice", "find_urgent"]

CATEGORY_EMOJI: Final = {"outage": "🔌", "weather": "⛈", "road": "🚧", "emergency": "🚨"}
"""One sign per category, the same in every language (an alert's header, /why)."""
# Notices write local time; Kazakhstan keeps one zone (UTC+5) since March 2024.
LOCAL_ZONE: Final = ZoneInfo("Asia/Almaty")
_WORDS: Final = re.compile(r"\w+")
# Enough characters of a body for its lead words (with room for long words and figures).
_CHARS_PER_WORD: Final = 15


@dataclass(frozen=True, slots=True)
class UrgentNotice:
    """An urgent article's category, the entries that made it urgent (for /why), and when its
    event starts and ends (aware UTC) when the text says."""

    category: str
    cues: tuple[str, ...]
    starts_at: datetime | None
    ends_at: datetime | None


def find_urgent(
    lexicon: AlertLexicon, *, title: str, body: str, published: datetime
) -> UrgentNotice | None:
    """The article's alert, or None when it is not urgent (`published`: aware)."""
    # The event must be named in the title or lead, so only they are read until it is.
    opening = f"{title}\n{body[: lexicon.lead_words * _CHARS_PER_WORD]}"
    if not lexicon.may_match(f" {' '.join(_WORDS.findall(opening.lower()))} "):
        return None
    head = words(title)
    category, cues = _category(lexicon, head, words(opening)[len(head) :][: lexicon.lead_words])
    if category is None:
        return None
    lowered = f"{title}\n{body}".lower()
    hits = word_hits(lexicon, head + words(body))
    if any(at >= 0 for at in found_entries(lexicon.past, hits, lexicon.near_words)):
        return None
    times = read_event_times(lowered, published=published, zone=LOCAL_ZONE)
    now_cues = [
        entry.source
        for entry, at in zip(
            lexicon.now, found_entries(lexicon.now, hits, lexicon.near_words), strict=True
        )
        if at >= 0
    ]
    if not now_cues and not _not_over(times, published):
        return None
    return UrgentNotice(category, tuple(cues + now_cues[:2]), times.starts_at, times.ends_at)


def _category(
    lexicon: AlertLexicon, head: list[str], lead: list[str]
) -> tuple[str | None, list[str]]:
    """The category with most weight of event entries in the title and lead, and its entries."""
    best: tuple[float, int] = (0.0, 0)
    chosen: str | None = None
    cues: list[str] = []
    near = lexicon.near_words
    title_hits, lead_hits = word_hits(lexicon, head), word_hits(lexicon, lead)
    for rank, category in enumerate(reversed(lexicon.priority)):
        entries = lexicon.events[category]
        in_title = found_entries(entries, title_hits, near)
        in_lead = found_entries(entries, lead_hits, near)
        weight = lexicon.title * sum(at >= 0 for at in in_title) + sum(at >= 0 for at in in_lead)
        if weight > 0 and (weight, rank) > best:
            best, chosen = (weight, rank), category
            cues = [
                entry.source
                for entry, a, b in zip(entries, in_title, in_lead, strict=True)
                if a >= 0 or b >= 0
            ]
    return chosen, cues


def _not_over(times: EventTimes, published: datetime) -> bool:
    """Whether the text names a time of the event that is not before it was published."""
    moment = times.ends_at or times.starts_at
    return moment is not None and moment >= published
