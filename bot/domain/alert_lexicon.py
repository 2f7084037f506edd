"""The alert lexicon (seeds/alerts.toml): event entries per category, `now` and `past` cues.

Entries are written as in seeds/topics.toml (stems end in `*`, words make a phrase, Kazakh
entries also match their Latin spellings, `[ignore]` words beat the shorter stems they begin
with, as for topics), plus "A ~ B": both parts within `near_words` words, and "{a|b}": one
entry per alternative, so a hazard can be listed once with the cues that make it a warning.
A Kazakh stem does not match a negative verb form it begins ("өшіріл*" is not "өшірілмейді":
"will not be cut" is no outage). An Aho-Corasick automaton of every entry's longest words
screens a text in one pass, so the many articles that start no entry cost a lowercasing and a
scan.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import ahocorasick  # type: ignore[import-not-found]

from bot.domain.kazakh_latin import lexicon_spellings
from bot.domain.taxonomy import LANGUAGES
from bot.domain.topic_lexicon import entry_patterns

ALERT_CATEGORIES: Final = ("outage", "weather", "road", "emergency")
_NEAR: Final = " ~ "
# The positions of the words each pattern ("вод*" a stem, "горит" a word) matches in a text.
Hits = dict[str, set[int]]
# Latin spellings without a letter only Kazakh uses are kept only when this long (as for topics).
# "{a|b|c}" in an entry: one entry per alternative.
_CHOICE: Final = re.compile(r"\{([^{}]*)\}")
# What follows a Kazakh verb stem in its negative forms: -ма/-ме/-ба/-бе/-па/-пе, then a
# personal, participle or verbal-noun ending (өшірілмейді, жабылмаған, өшірілмеу), in Cyrillic
# and in Latin letters. "дауылмен" (with a storm) is not one: -мен is a case ending.
_KK_NEGATIVE: Final = re.compile(
    r"(?:ма|ме|ба|бе|па|пе)(?:й|с|ды|ді|ған|ген|у)|(?:ma|me|ba|be|pa|pe)(?:ı|i|y|s|d|ǵ|ğ|g|ý|u)"
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry: its text as listed (shown by /why) and its parts, each a phrase of word
    patterns ("вод*" a stem, "горит" a word); two parts must meet within `near_words` words."""

    source: str
    parts: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class AlertLexicon:
    """Event entries per category, cues of now and of the past; build with `load_alert_lexicon`."""

    events: dict[str, tuple[Entry, ...]]
    now: tuple[Entry, ...]
    past: tuple[Entry, ...]
    priority: tuple[str, ...]
    lead_words: int = 40
    near_words: int = 6
    title: float = 3.0
    # The words and stems (without `*`) of every entry, and the stems' lengths (shortest
    # first), so a text is indexed by a few set probes per word.
    exact: frozenset[str] = frozenset()
    stems: frozenset[str] = frozenset()
    stem_lengths: tuple[int, ...] = ()
    # The stems of Kazakh entries: they do not match the negative verb forms they begin.
    kazakh_stems: frozenset[str] = frozenset()
    # [ignore]: words and stems (without `*`) that match nothing; a word they match is not
    # matched by any stem as short or shorter ("жолдау*" keeps "жол*" off "Жолдауы").
    ignore_exact: frozenset[str] = frozenset()
    ignore_stems: frozenset[str] = frozenset()
    ignore_lengths: tuple[int, ...] = ()  # of the ignored stems, longest first
    # An ahocorasick.Automaton of the longest word of each event entry, after a space (and
    # before one, for an exact word).
    screen: Any = None
    # The screen's keys each event entry needs.
    screen_needs: frozenset[frozenset[str]] = frozenset()

    def may_match(self, spaced: str) -> bool:
        """Whether a text (lowercased, words between single spaces, a space first and last) may
        hold an event entry: a cheap screen before the words are read."""
        found = frozenset(key for _, key in self.screen.iter(spaced))
        return any(need <= found for need in self.screen_needs) if found else False


def found_entries(entries: Sequence[Entry], hits: Hits, near: int) -> list[int]:
    """Where each entry is first met in a text (`hits`: `word_hits` of its words), -1 when
    it is not; `near`: how close the parts of "A ~ B" must be."""
    return [_first(entry, hits, near) if entry.parts[0][0] in hits else -1 for entry in entries]


def word_hits(lexicon: AlertLexicon, text: Sequence[str]) -> Hits:
    """Where each pattern of the lexicon matches a word of `text` (normalised words): the
    positions of the words each pattern matches, in one pass of lookups."""
    hits: Hits = {}
    for i, word in enumerate(text):
        ignored = _ignored_length(lexicon, word)
        if word in lexicon.exact and len(word) > ignored:
            hits.setdefault(word, set()).add(i)
        for length in lexicon.stem_lengths:
            if length > len(word):
                break
            stem = word[:length]
            if (
                stem in lexicon.stems
                and length > ignored
                and not (stem in lexicon.kazakh_stems and _KK_NEGATIVE.match(word, length))
            ):
                hits.setdefault(stem + "*", set()).add(i)
    return hits


def _ignored_length(lexicon: AlertLexicon, word: str) -> int:
    """The length of the longest [ignore] entry a word matches (0: none); the whole word's
    length when it is an ignored word itself, so that it matches nothing."""
    if word in lexicon.ignore_exact:
        return len(word)
    for length in lexicon.ignore_lengths:
        if length <= len(word) and word[:length] in lexicon.ignore_stems:
            return length
    return 0


def _first(entry: Entry, hits: Hits, near: int) -> int:
    starts = [_phrase_starts(part, hits) for part in entry.parts]
    if len(starts) == 1:
        return min(starts[0], default=-1)
    first, second = starts
    met = [min(i, j) for i in first for j in second if abs(i - j) <= near]
    return min(met, default=-1)


def _phrase_starts(phrase: tuple[str, ...], hits: Hits) -> list[int]:
    head, *rest = phrase
    return [
        i
        for i in hits.get(head, ())
        if all(i + 1 + k in hits.get(p, ()) for k, p in enumerate(rest))
    ]


def _phrase(text: str) -> tuple[str, ...]:
    """An entry's word patterns as the topics split them, a stem keeping its `*`."""
    return tuple(p.text + ("*" if p.is_stem else "") for p in entry_patterns(text))


def _entry(source: str) -> Entry:
    parts = tuple(_phrase(part) for part in source.split(_NEAR))
    if len(parts) > 2 or not all(parts):
        raise ValueError(f"alert lexicon: bad entry {source!r}")
    return Entry(source, parts)


def _choices(text: str) -> list[str]:
    """An entry with "{a|b}" groups as one entry per combination of alternatives."""
    # re.split with one group: every second piece was inside braces.
    pieces = _CHOICE.split(text)
    options = [piece.split("|") if i % 2 else [piece] for i, piece in enumerate(pieces)]
    return [" ".join("".join(combination).split()) for combination in itertools.product(*options)]


def _texts(listed: dict[str, Any], where: str) -> dict[str, list[str]]:
    """Every entry text by language, "{a|b}" expanded, Kazakh ones with their Latin spellings."""
    unknown = set(listed) - set(LANGUAGES)
    if unknown:
        raise ValueError(f"alert lexicon: unknown languages in {where}: {sorted(unknown)}")
    texts: dict[str, list[str]] = {}
    for language, values in listed.items():
        for value in values:
            for text in _choices(str(value)):
                texts.setdefault(language, []).append(text)
                if language == "kk":
                    texts[language] += lexicon_spellings(text)
    return texts


def _entries(listed: dict[str, Any], where: str) -> tuple[Entry, ...]:
    texts = [text for values in _texts(listed, where).values() for text in values]
    return tuple(_entry(text) for text in dict.fromkeys(texts))


def _kazakh_stems(data: dict[str, Any], *cues: dict[str, Any]) -> frozenset[str]:
    """The stems (without `*`) of the Kazakh entries of the event tables (`data`) and of the
    cue tables, their Latin spellings included."""
    listed = [
        *(entry for table in cues for entry in table.get("kk", [])),
        *(
            entry
            for category in ALERT_CATEGORIES
            for entry in data.get(category, {}).get("kk", {}).get("events", [])
        ),
    ]
    return frozenset(
        pattern[:-1]
        for text in _texts({"kk": listed}, "kk").get("kk", [])
        for part in _entry(text).parts
        for pattern in part
        if pattern.endswith("*")
    )


def load_alert_lexicon(toml_text: str) -> AlertLexicon:
    """Parse a lexicon in the format of seeds/alerts.toml; unknown categories are errors."""
    data = tomllib.loads(toml_text)
    scoring = dict(data.pop("scoring", {}))
    now, past = data.pop("now", {}), data.pop("past", {})
    ignore = [
        pattern
        for entry in _entries(data.pop("ignore", {}), "ignore")
        for part in entry.parts
        for pattern in part
    ]
    unknown = set(data) - set(ALERT_CATEGORIES)
    if unknown:
        raise ValueError(f"alert lexicon: unknown categories {sorted(unknown)}")
    events = {
        category: _entries(
            {lang: table.get("events", []) for lang, table in data.get(category, {}).items()},
            category,
        )
        for category in ALERT_CATEGORIES
    }
    now_entries, past_entries = _entries(now, "now"), _entries(past, "past")
    priority = tuple(scoring.pop("priority", ALERT_CATEGORIES))
    if sorted(priority) != sorted(ALERT_CATEGORIES):
        raise ValueError("alert lexicon: priority must list every category once")
    # Every word of an entry must be there; of each part, its two longest (rarest) are checked.
    needs = {
        frozenset(word for part in entry.parts for word in sorted(part, key=len)[-2:])
        for entries in events.values()
        for entry in entries
    }
    screen = ahocorasick.Automaton()
    for key in {key for need in needs for key in need}:
        screen.add_word(f" {key[:-1]}" if key.endswith("*") else f" {key} ", key)
    screen.make_automaton()
    every = [*(e for entries in events.values() for e in entries), *now_entries, *past_entries]
    patterns = {pattern for entry in every for part in entry.parts for pattern in part}
    stems = frozenset(pattern[:-1] for pattern in patterns if pattern.endswith("*"))
    return AlertLexicon(
        events=events,
        now=now_entries,
        past=past_entries,
        priority=priority,
        exact=frozenset(pattern for pattern in patterns if not pattern.endswith("*")),
        stems=stems,
        stem_lengths=tuple(sorted({len(stem) for stem in stems})),
        kazakh_stems=_kazakh_stems(data, now, past),
        ignore_exact=frozenset(p for p in ignore if not p.endswith("*")),
        ignore_stems=frozenset(p[:-1] for p in ignore if p.endswith("*")),
        ignore_lengths=tuple(sorted({len(p) - 1 for p in ignore if p.endswith("*")}, reverse=True)),
        screen=screen,
        screen_needs=frozenset(needs),
        **scoring,
    )
