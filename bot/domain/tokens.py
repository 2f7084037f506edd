"""Word tokenisation shared by tagging, language detection and near-duplicate detection."""

from __future__ import annotations

import re
from typing import Final

_WORD: Final = re.compile(r"[^\W_]+")


def normalise(text: str) -> str:
    """Lower-case and fold ё to е, so Russian spellings with and without it compare equal."""
    return text.lower().replace("ё", "е")


def words(text: str) -> list[str]:
    """Normalised words: runs of letters and digits; punctuation and hyphens split them."""
    return _WORD.findall(normalise(text))
