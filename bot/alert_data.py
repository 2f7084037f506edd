"""The bundled alert lexicon (seeds/alerts.toml), read once per process."""

from __future__ import annotations

import functools
from importlib import resources

from bot.domain.alert_lexicon import AlertLexicon, load_alert_lexicon


@functools.cache
def bundled_alert_lexicon() -> AlertLexicon:
    """The alert lexicon shipped with the package."""
    text = resources.files("seeds").joinpath("alerts.toml").read_text(encoding="utf-8")
    return load_alert_lexicon(text)
