"""The bundled topic lexicon (seeds/topics.toml), read once per process."""

from __future__ import annotations

import functools
from importlib import resources

from bot.domain.topic_lexicon import TopicLexicon, load_topic_lexicon


@functools.cache
def bundled_topic_lexicon() -> TopicLexicon:
    """The lexicon shipped with the package."""
    text = resources.files("seeds").joinpath("topics.toml").read_text(encoding="utf-8")
    return load_topic_lexicon(text)
