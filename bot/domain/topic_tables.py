"""The [topic.language] tables of seeds/topics.toml: the entries listed, their cue marks, the
Latin spellings of Kazakh entries, and the names users may type for each topic (`synonyms`).

The lexicon (bot.domain.topic_lexicon) weighs and indexes the entries; name resolution uses the
synonyms.
"""

from __future__ import annotations

from typing import Any, Final, NamedTuple

from bot.domain.kazakh_latin import lexicon_spellings
from bot.domain.taxonomy import LANGUAGES, TOPIC_SLUGS

TIERS: Final = ("strong", "weak")
_SYNONYMS: Final = "synonyms"  # not entries: names users may type (bot.domain.name_resolution)
_SECTIONS: Final = ("scoring", "ignore", "rules")
# A Latin spelling of a Kazakh entry without a letter only Kazakh uses ("mektep*") is added
# only when this long: shorter ones ("ken", "et", "januar*") are English words or starts.


class Listed(NamedTuple):
    """An entry as listed: its topic, tier ("strong" or "weak"), text and the cues it marks."""

    topic: str
    tier: str
    entry: str
    cues: tuple[str, ...]


def listed_entries(data: dict[str, Any]) -> list[Listed]:
    """Every entry of the topic tables, in file order, and the Latin spellings of the Kazakh
    ones (unless an English entry is spelt so already), so that Kazakh written in Latin letters
    needs no entries of its own."""
    listed = [
        (language, Listed(topic, tier, *_marked(value)))
        for topic, language, tier, value in _values(data)
    ]
    english = {item.entry.rstrip("*") for language, item in listed if language == "en"}
    latin = [
        item._replace(entry=spelling)
        for language, item in listed
        if language == "kk"
        for spelling in lexicon_spellings(item.entry)
        if spelling.rstrip("*") not in english
    ]
    return [item for _, item in listed] + latin


def _marked(value: object) -> tuple[str, tuple[str, ...]]:
    """An entry and its cues: "school* @facility" -> ("school*", ("facility",))."""
    entry, *cues = str(value).split(" @")
    return entry.strip(), tuple(cue.strip() for cue in cues)


def _values(data: dict[str, Any]) -> list[tuple[str, str, str, object]]:
    """(topic, language, tier, value) of every entry of the topic tables, in file order."""
    values = []
    for topic, languages in _topic_tables(data):
        for language, tiers in languages.items():
            for tier, listed in tiers.items():
                if tier == _SYNONYMS:
                    continue
                if tier not in TIERS:
                    raise ValueError(f"topic lexicon: unknown tier {topic}.{language}.{tier}")
                values += [(topic, language, tier, value) for value in listed]
    return values


def _topic_tables(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The [topic.language] tables, checked: known topics and languages only."""
    tables = [(topic, languages) for topic, languages in data.items() if topic not in _SECTIONS]
    for topic, languages in tables:
        if topic not in TOPIC_SLUGS:
            raise ValueError(f"topic lexicon: unknown topic {topic!r}")
        for language in languages:
            if language not in LANGUAGES:
                raise ValueError(f"topic lexicon: unknown language {topic}.{language}")
    return tables


def synonyms(data: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """The names users may type for each topic, all languages together, by topic slug."""
    found: dict[str, tuple[str, ...]] = {}
    for topic, languages in _topic_tables(data):
        names = [str(name) for tiers in languages.values() for name in tiers.get(_SYNONYMS, [])]
        if names:
            found[topic] = tuple(dict.fromkeys(names))
    return found
