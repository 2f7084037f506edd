"""Reference data shipped inside the package (the gazetteer), read once per process."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from bot.domain.gazetteer import Gazetteer, parse_gazetteer


@cache
def load_gazetteer() -> Gazetteer:
    """The bundled gazetteer, seeds/regions.toml."""
    return parse_gazetteer(files("seeds").joinpath("regions.toml").read_text(encoding="utf-8"))
