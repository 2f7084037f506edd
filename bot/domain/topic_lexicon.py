"""The topic lexicon: stems and phrases per topic, read from TOML (seeds/topics.toml).

The file format is documented at the top of seeds/topics.toml; bot.domain.topic_tables reads
its topic tables. Here the entries become two lookup tables keyed by the first word of each
entry (exact words, and stems by length), so tagging a word costs a few dictionary probes, and a
bounded memo of resolved words makes repeats cost one. The same file holds the labelling rules
(bot.domain.topic_rules) and the names users may type for each topic (`synonyms`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from bot.domain.taxonomy import TOPIC_SLUGS
from bot.domain.tokens import Memo, words
from bot.domain.topic_rules import Rule, parse_rules
from bot.domain.topic_tables import listed_entries, synonyms

IGNORE: Final = ""  # the topic of [ignore] entries
_MEMO_LIMIT: Final = 200_000
_SHORTEST_STEM: Final = 3  # no stem is shorter (checked when the lexicon is loaded)


@dataclass(frozen=True, slots=True)
class Pattern:
    """One word of an entry: an exact word form, or a stem matching every word it begins."""

    text: str
    is_stem: bool

    def matches(self, word: str) -> bool:
        return word.startswith(self.text) if self.is_stem else word == self.text


@dataclass(frozen=True, slots=True, eq=False)
class Term:
    """A lexicon entry: the topic it signals, its weight, the words after the first, and the
    cues it marks for the labelling rules ("school* @facility": a facility of education).

    Compared by identity: each entry of the file is one object, and hashing by identity keeps
    the count of hits cheap.
    """

    topic: str
    weight: float
    source: str
    rest: tuple[Pattern, ...] = ()
    cues: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Scoring:
    """How hits add up to topics (the [scoring] table)."""

    strong: float = 3.0
    weak: float = 1.0
    title: float = 3.0
    lead: float = 1.5
    lead_words: int = 40
    norm_words: int = 150
    secondary_ratio: float = 0.4
    secondary_min: float = 4.5
    admit_min: float = 2.5
    near_words: int = 8
    place_words: int = 12
    subject_hits: int = 2
    fallback: str = "governance"


@dataclass(frozen=True, slots=True)
class Resolved:
    """What a word can start: phrases (longest first) and the single-word entries it matches."""

    phrases: tuple[Term, ...]
    singles: tuple[Term, ...]


NOTHING: Final = Resolved((), ())


@dataclass(frozen=True, slots=True)
class TopicLexicon:
    """Entries indexed by their first word; build one with `load_topic_lexicon`."""

    exact: dict[str, tuple[Term, ...]]
    stems: dict[str, tuple[Term, ...]]
    scoring: Scoring
    rules: tuple[Rule, ...] = ()
    # Names a user may type for a topic besides its display names, by topic slug.
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Resolved words, None for those that start nothing: a cache, the same for every caller, so
    # sharing it changes no result.
    memo: Memo[str, Resolved | None] = field(init=False, compare=False, repr=False)
    # The lengths of the stems that begin with each three letters (longest first): most words
    # begin no stem, and one probe tells; the others try a length or two, not all of them.
    lengths_by_prefix: dict[str, tuple[int, ...]] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "memo", Memo(self.resolve_word, _MEMO_LIMIT))
        lengths: dict[str, set[int]] = {}
        for stem in self.stems:
            lengths.setdefault(stem[:_SHORTEST_STEM], set()).add(len(stem))
        by_prefix = {
            prefix: tuple(sorted(found, reverse=True)) for prefix, found in lengths.items()
        }
        object.__setattr__(self, "lengths_by_prefix", by_prefix)

    def resolve_word(self, word: str) -> Resolved | None:
        """Entries a (normalised) word starts, the longest single-word match winning; None for a
        word that starts nothing (`memo` remembers the answers)."""
        found = self._resolve(word)
        return found if found.phrases or found.singles else None

    def _resolve(self, word: str) -> Resolved:
        matched: list[tuple[int, Term]] = [(len(word), term) for term in self.exact.get(word, ())]
        for length in self.lengths_by_prefix.get(word[:_SHORTEST_STEM], ()):
            if length <= len(word):
                matched.extend((length, term) for term in self.stems.get(word[:length], ()))
        if not matched:
            return NOTHING
        phrases = sorted((t for _, t in matched if t.rest), key=lambda t: -len(t.rest))
        single = [(length, t) for length, t in matched if not t.rest]
        longest = max((length for length, _ in single), default=0)
        singles = tuple(t for length, t in single if length == longest and t.topic != IGNORE)
        ignored = any(length == longest and t.topic == IGNORE for length, t in single)
        return Resolved(tuple(phrases), () if ignored else singles)


def entry_patterns(entry: str) -> tuple[Pattern, ...]:
    """Split an entry into word patterns the way texts are split ("e-commerce" -> e, commerce);
    the alert lexicon's entries are split the same way."""
    patterns: list[Pattern] = []
    for piece in entry.split():
        is_stem = piece.endswith("*")
        parts = words(piece.rstrip("*"))
        if not parts:
            raise ValueError(f"topic lexicon: entry {entry!r} has an empty word")
        patterns.extend(Pattern(part, False) for part in parts[:-1])
        patterns.append(Pattern(parts[-1], is_stem))
    if not patterns:
        raise ValueError("topic lexicon: empty entry")
    return tuple(patterns)


def _scoring(table: dict[str, Any]) -> Scoring:
    known = set(Scoring.__dataclass_fields__)
    unknown = set(table) - known
    if unknown:
        raise ValueError(f"topic lexicon: unknown [scoring] keys {sorted(unknown)}")
    scoring = Scoring(**table)
    if scoring.fallback not in TOPIC_SLUGS:
        raise ValueError(f"topic lexicon: fallback {scoring.fallback!r} is not a topic")
    return scoring


# (topic, weight, entry, cues) for one entry of the file.
_Entry = tuple[str, float, str, tuple[str, ...]]


def _entries(data: dict[str, Any], scoring: Scoring) -> list[_Entry]:
    """Every entry of the file with its weight, [ignore] ones with topic IGNORE."""
    ignored = data.get("ignore", {}).get("terms", [])
    entries: list[_Entry] = [(IGNORE, 0.0, str(entry), ()) for entry in ignored]
    for topic, tier, entry, cues in listed_entries(data):
        weight = scoring.strong if tier == "strong" else scoring.weak
        entries.append((topic, weight, entry, cues))
    return entries


def _terms(entries: list[_Entry]) -> list[tuple[Pattern, Term]]:
    """One term per (topic, entry), with its first word: an entry listed twice for one topic
    (say, a brand name under both ru and kk) counts once, with the higher weight and the cues of
    both listings."""
    unique: dict[tuple[str, str], tuple[float, tuple[str, ...]]] = {}
    for topic, weight, entry, cues in entries:
        known_weight, known_cues = unique.get((topic, entry), (weight, ()))
        unique[topic, entry] = (max(weight, known_weight), tuple(dict.fromkeys(known_cues + cues)))
    terms = []
    for (topic, entry), (weight, cues) in unique.items():
        first, *rest = entry_patterns(entry)
        terms.append((first, Term(topic, weight, entry, tuple(rest), cues)))
    return terms


def load_topic_lexicon(toml_text: str) -> TopicLexicon:
    """Parse a lexicon in the format of seeds/topics.toml; unknown topics, keys or cues are
    errors."""
    data = tomllib.loads(toml_text)
    scoring = _scoring(data.get("scoring", {}))
    terms = _terms(_entries(data, scoring))
    rules = parse_rules(data.get("rules", []), cues={cue for _, t in terms for cue in t.cues})
    exact: dict[str, list[Term]] = {}
    stems: dict[str, list[Term]] = {}
    for first, term in terms:
        (stems if first.is_stem else exact).setdefault(first.text, []).append(term)
    short = sorted(stem for stem in stems if len(stem) < _SHORTEST_STEM)
    if short:
        raise ValueError(f"topic lexicon: stems need {_SHORTEST_STEM} letters or more: {short}")
    return TopicLexicon(
        exact={word: tuple(terms) for word, terms in exact.items()},
        stems={stem: tuple(terms) for stem, terms in stems.items()},
        scoring=scoring,
        rules=rules,
        synonyms=synonyms(data),
    )
