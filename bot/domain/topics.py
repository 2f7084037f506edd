"""Topic tagging: one to three topic slugs per article, the main one first, with evidence.

Every lexicon hit adds its weight to its topic, more in the title and the lead, less for each
repeat of the same entry; the body's total is damped by the square root of its length. The best
topic is the main one, and others follow when they come close enough (seeds/topics.toml).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
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
from bot.domain.words import Lows, ReadText

if TYPE_CHECKING:
    from bot.domain.reading import ArticleWords

__all__ = ["TopicLexicon", "load_topic_lexicon", "tag_topics"]

MAX_TOPICS: Final = 3
_ORDER: Final = {slug: index for index, slug in enumerate(TOPIC_SLUGS)}

# (term, signal) -> how many times it was seen; signal is "title", "lead" or "body".
Hits = dict[tuple[Term, str], int]


def _scan(
    resolved: Mapping[int, Resolved],
    tokens: Sequence[str],
    lead_end: int,
    where: str,
    hits: Hits,
) -> None:
    """Count the entries found in tokens (`resolved`: what each token starting something
    starts, by index, ascending); those before `lead_end` count as `where`, others as body."""
    count = len(tokens)
    taken = 0  # tokens before this one belong to a phrase already counted
    for i, found in resolved.items():
        if i < taken:
            continue
        signal = where if i < lead_end else "body"
        if found.phrases and i + 1 < count:
            phrase = _phrase_at(found.phrases, tokens, i)
            if phrase is not None:
                if phrase.topic != IGNORE:
                    hits[phrase, signal] = hits.get((phrase, signal), 0) + 1
                taken = i + 1 + len(phrase.rest)
                continue
        for term in found.singles:
            hits[term, signal] = hits.get((term, signal), 0) + 1


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


def _score(lexicon: TopicLexicon, hits: Hits, body_words: int) -> dict[str, list[_Share]]:
    """Weighted hits per topic; an entry's title hits come first in its harmonic series.

    `hits` keeps the order of first sight (the title is scanned first, the lead before the rest
    of the body), which is the order the repeats of an entry are discounted in.
    """
    scoring = lexicon.scoring
    damping = 1.0 / math.sqrt(max(1.0, body_words / scoring.norm_words))
    factor = {"title": scoring.title, "lead": scoring.lead * damping, "body": damping}
    seen: dict[Term, int] = defaultdict(int)
    shares: dict[str, list[_Share]] = defaultdict(list)
    for (term, signal), count in hits.items():
        weight = term.weight * factor[signal] * _harmonic(seen[term], count)
        seen[term] += count
        shares[term.topic].append((weight, signal, term.source))
    return shares


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
    hits: Hits = {}
    title_read, body_read = (None, None) if text is None else (text.title_words, text.body_words)
    title_tokens, title_found = _resolved(lexicon, title, title_read)
    _scan(title_found, title_tokens, len(title_tokens), "title", hits)
    body_tokens, body_found = _resolved(lexicon, body, body_read)
    _scan(body_found, body_tokens, scoring.lead_words, "lead", hits)
    shares = _score(lexicon, hits, len(body_tokens))
    totals = {topic: sum(share[0] for share in items) for topic, items in shares.items()}
    ranked = sorted(totals, key=lambda topic: (-totals[topic], _ORDER[topic]))
    if not ranked:
        return Decision(labels=(scoring.fallback,))
    best = totals[ranked[0]]
    floor = max(best * scoring.secondary_ratio, scoring.secondary_min)
    labels = [ranked[0]] + [topic for topic in ranked[1:] if totals[topic] >= floor]
    labels = labels[:MAX_TOPICS]
    chosen = tuple(
        Evidence(topic, signal, source, weight)
        for topic in labels
        for weight, signal, source in sorted(shares[topic], key=lambda share: -share[0])
    )
    return Decision(labels=tuple(labels), evidence=chosen)
