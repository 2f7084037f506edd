"""Whether two text signatures tell one story: alike, or one a shortened copy of the other.

Rewording keeps most content words and a shortened copy keeps most of its words inside the
longer text, so the decision rests on Jaccard similarity and on containment (shared stems /
stems of the shorter text), both estimated from the MinHash sketches.
"""

from __future__ import annotations

from typing import Final

from bot.domain.minhash import Signature, agreement

# Thresholds of `is_near_duplicate`, on estimates from the sketches.
_SAME_TEXT: Final = 0.45  # Jaccard similarity that needs nothing else
_CONTAINED: Final = 0.55  # containment of the shorter text
_CONTAINED_JACCARD: Final = 0.12  # a floor, so a few lines inside a long round-up do not count
_MIN_SIZE: Final = 8  # fewer stems than this: only a near-identical text counts
# No pair less similar than this is a near-duplicate: a cheap filter before the full decision.
MIN_JACCARD: Final = min(_SAME_TEXT, _CONTAINED_JACCARD)


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two texts' stem sets (1.0 for the same text)."""
    if a.size == 0 and b.size == 0:
        return 1.0
    if a.size == 0 or b.size == 0:
        return 0.0
    return agreement(a.sketch, b.sketch)


def containment(a: Signature, b: Signature) -> float:
    """Estimated share of the shorter text's stems found in the longer one."""
    jaccard = similarity(a, b)
    smaller = min(a.size, b.size)
    if smaller == 0:
        return jaccard
    # |A∩B| = J/(1+J) * (|A|+|B|) for sets A and B of Jaccard similarity J.
    return min(1.0, jaccard / (1.0 + jaccard) * (a.size + b.size) / smaller)


def is_near_duplicate(a: Signature, b: Signature) -> bool:
    """Whether two signatures tell the same story: alike, or one a shortened copy of the other."""
    jaccard = similarity(a, b)
    if jaccard >= _SAME_TEXT:
        return True
    return (
        min(a.size, b.size) >= _MIN_SIZE
        and jaccard >= _CONTAINED_JACCARD
        and containment(a, b) >= _CONTAINED
    )
