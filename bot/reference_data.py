"""Reference data shipped inside the package (the gazetteer), read once per process."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from importlib.resources import files

from bot.domain.gazetteer import Gazetteer, parse_gazetteer
from bot.topic_data import bundled_topic_lexicon


@cache
def load_gazetteer() -> Gazetteer:
    """The bundled gazetteer, seeds/regions.toml, with the topic names users may type
    (seeds/topics.toml `synonyms`) for resolving /subscribe names."""
    text = files("seeds").joinpath("regions.toml").read_text(encoding="utf-8")
    return replace(parse_gazetteer(text), topic_synonyms=bundled_topic_lexicon().synonyms)
