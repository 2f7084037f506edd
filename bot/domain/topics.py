"""Topic tagging: one to three topic slugs per article, the main one first, with evidence.

Every lexicon hit adds its weight to its topic, more in the title and the lead, less for each
repeat of the same entry; the body's total is damped by the square root of its length. The
labelling rules (bot.domain.topic_rules) then look at the cues met and where: the best topic is
the main one unless a rule names another, the rules bring or rule out secondary topics, and any
other topic follows when it comes close enough to the best and is more than a passing phrase
(named in the title, or met in two places of the body; seeds/topics.toml).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from bot.domain.articles import Decision, Evidence
from bot.domain.taxonomy import TOPIC_SLUGS
from bot.domain.tokens import normal_words
from bot.domain.topic_lexicon import (
    IGNORE,
    Pattern,
    Resolved,
    Term,
    TopicLexicon,
    load_topic_lexicon,
)
from bot.domain.topic_rules import CueHit, Finding, choose_topics, find_rules
from bot.domain.words import Lows, ReadText

if TYPE_CHECKING:
    from bot.domain.reading import ArticleWords

__all__ = ["TopicLexicon", "load_topic_lexicon", "tag_topics"]

MAX_TOPICS: Final = 3
_ORDER: Final = {slug: index for index, slug in enumerate(TOPIC_SLUGS)}


@dataclass(slots=True)
class _Tally:
    """What the scan of an article gathers: the hits of each entry per signal (in the order of
    first sight), the cues met, and for each topic whether a strong entry names it in the title
    and where strong entries meet it first and last in the body."""

    strong: float
    counts: dict[tuple[Term, str], int] = field(default_factory=dict)
    cues: dict[str, list[CueHit]] = field(default_factory=dict)  # by cue, each in word order
    named: set[str] = field(default_factory=set)
    first: dict[str, int] = field(default_factory=dict)
    last: dict[str, int] = field(default_factory=dict)


def _scan(
    resolved: Mapping[int, Resolved],
    tokens: Sequence[str],
    lead_end: int,
    where: str,
    tally: _Tally,
    offset: int = 0,
) -> None:
    """Tally the entries found in tokens (`resolved`: what each token starting something starts,
    by index, ascending) at their index plus `offset`; those before `lead_end` count as
    `where`, others as body."""
    count = len(tokens)
    taken = 0  # tokens before this one belong to a phrase already counted
    counts, cues, named, first, last = (
        tally.counts,
        tally.cues,
        tally.named,
        tally.first,
        tally.last,
    )
    strong = tally.strong
    for i, entry in resolved.items():
        if i < taken:
            continue
        signal = where if i < lead_end else "body"
        terms = entry.singles
        if entry.phrases and i + 1 < count:
            phrase = _phrase_at(entry.phrases, tokens, i)
            if phrase is not None:
                taken = i + 1 + len(phrase.rest)
                terms = () if phrase.topic == IGNORE else (phrase,)
        position = offset + i
        for term in terms:
            key = (term, signal)
            counts[key] = counts.get(key, 0) + 1
            if term.cues:
                for cue in term.cues:
                    cues.setdefault(cue, []).append((position, signal, term))
            if term.weight < strong:
                continue
            if signal == "title":
                named.add(term.topic)
                continue
            if term.topic not in first:
                first[term.topic] = position
            last[term.topic] = position


def _phrase_at(phrases: tuple[Term, ...], tokens: Sequence[str], start: int) -> Term | None:
    """The first (longest) phrase whose words follow from `start` on (its first word does)."""
    following = tokens[start + 1]  # read once: most phrases fail on their second word
    count = len(tokens)
    for phrase in phrases:
        rest = phrase.rest
        if (
            start + 1 + len(rest) <= count
            and rest[0].matches(following)
            and _follows(rest, tokens, start + 2)
        ):
            return phrase
    return None


def _follows(rest: tuple[Pattern, ...], tokens: Sequence[str], start: int) -> bool:
    """Whether the tokens from `start` on match the rest of a phrase after its second word
    (they are long enough)."""
    return all(pattern.matches(tokens[offset]) for offset, pattern in enumerate(rest[1:], start))


@lru_cache(maxsize=4096)
def _harmonic(start: int, count: int) -> float:
    """1/(start+1) + ... + 1/(start+count): repeats of one entry count less and less."""
    return sum(1.0 / k for k in range(start + 1, start + count + 1))


# One hit's share of a topic: its weight, signal ("title", "lead", "body") and lexicon entry.
_Share = tuple[float, str, str]


def _score(
    lexicon: TopicLexicon, tally: _Tally, body_words: int
) -> tuple[dict[str, list[_Share]], dict[str, float]]:
    """Weighted hits per topic, and each topic's total; an entry's title hits come first in its
    harmonic series.

    The hits of an entry are counted per signal in the order of first sight (the title is
    scanned first, the lead before the rest of the body), the order the repeats are discounted in.
    """
    scoring = lexicon.scoring
    damping = 1.0 / math.sqrt(max(1.0, body_words / scoring.norm_words))
    factor = {"title": scoring.title, "lead": scoring.lead * damping, "body": damping}
    seen: dict[Term, int] = defaultdict(int)
    shares: dict[str, list[_Share]] = defaultdict(list)
    totals: dict[str, float] = defaultdict(float)
    for (term, signal), count in tally.counts.items():
        weight = term.weight * factor[signal] * _harmonic(seen[term], count)
        seen[term] += count
        shares[term.topic].append((weight, signal, term.source))
        totals[term.topic] += weight
    return shares, totals


def _substantial(tally: _Tally, topics: Iterable[str], place_words: int) -> set[str]:
    """Which of `topics` are more than a passing phrase: named in the title by a strong entry, or
    met by strong entries in the body more than `place_words` words apart (in two places)."""
    first, last = tally.first, tally.last
    return {
        topic
        for topic in topics
        if topic in tally.named or (topic in first and last[topic] - first[topic] > place_words)
    }


def _resolved(
    lexicon: TopicLexicon, text: str, read: ReadText | None
) -> tuple[Sequence[str], Mapping[int, Resolved]]:
    """The normalised words of a text and what those starting something start, by index, from
    words already read if any."""
    if read is None:
        found = normal_words(text)
        resolved = map(lexicon.memo.__getitem__, found)
        return found, {i: entry for i, entry in enumerate(resolved) if entry is not None}
    return Lows(read.words), read.topics


def tag_topics(
    lexicon: TopicLexicon, *, title: str, body: str, text: ArticleWords | None = None
) -> Decision:
    """One to three topics for an article, main first, with the words that gave each.

    `text`, when given, is the article read by `reading.WordReader`: its words are used.
    """
    scoring = lexicon.scoring
    tally = _Tally(scoring.strong)
    title_read, body_read = (None, None) if text is None else (text.title_words, text.body_words)
    title_tokens, title_found = _resolved(lexicon, title, title_read)
    _scan(title_found, title_tokens, len(title_tokens), "title", tally)
    body_tokens, body_found = _resolved(lexicon, body, body_read)
    # Body positions start past the title's by more than any distance the rules measure.
    offset = len(title_tokens) + scoring.near_words + scoring.place_words + 1
    _scan(body_found, body_tokens, scoring.lead_words, "lead", tally, offset)
    shares, totals = _score(lexicon, tally, len(body_tokens))
    if not totals:
        return Decision(labels=(scoring.fallback,))
    # Best first; ties in taxonomy order (a stable sort of topics already in that order).
    ranked = sorted(sorted(totals, key=_ORDER.__getitem__), key=totals.__getitem__, reverse=True)
    floor = max(totals[ranked[0]] * scoring.secondary_ratio, scoring.secondary_min)
    # Only topics that score `floor` may follow the main one unbidden.
    close = [topic for topic in ranked[1:] if totals[topic] >= floor]
    choice = choose_topics(
        totals,
        ranked,
        _findings(lexicon, tally, len(body_tokens)),
        close=close,
        substantial=_substantial(tally, close, scoring.place_words),
        floor=floor,
        admit_min=scoring.admit_min,
        most=MAX_TOPICS,
    )
    evidence = [
        Evidence(topic, signal, source, weight)
        for topic in choice.labels
        for weight, signal, source in sorted(shares.get(topic, ()), reverse=True)
    ]
    evidence += [Evidence(topic, "rule", why, 0.0) for topic, why in choice.reasons.items()]
    return Decision(labels=choice.labels, evidence=tuple(evidence))


def _findings(lexicon: TopicLexicon, tally: _Tally, body_words: int) -> list[Finding]:
    """The labelling rules whose cues are the subject of the article."""
    if not tally.cues:
        return []
    scoring = lexicon.scoring
    # A longer body names its subject more often: as many more times as its scores are damped.
    subject_hits = scoring.subject_hits * math.sqrt(max(1.0, body_words / scoring.norm_words))
    return find_rules(
        lexicon.rules, tally.cues, near_words=scoring.near_words, subject_hits=subject_hits
    )
