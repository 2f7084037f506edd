"""The bundled topic lexicon (seeds/topics.toml), read once per process."""

from __future__ import annotations

import functools
from importlib import resources

from bot.domain.topic_lexicon import TopicLexicon, load_topic_lexicon
from bot.domain.topic_tables import parse_topic_synonyms


def _bundled_text() -> str:
    return resources.files("seeds").joinpath("topics.toml").read_text(encoding="utf-8")


@functools.cache
def bundled_topic_lexicon() -> TopicLexicon:
    """The lexicon shipped with the package."""
    return load_topic_lexicon(_bundled_text())


@functools.cache
def bundled_topic_synonyms() -> dict[str, tuple[str, ...]]:
    """The names users may type for each topic besides its display names, by topic slug (the
    `synonyms` of seeds/topics.toml), without building the whole lexicon."""
    return parse_topic_synonyms(_bundled_text())
