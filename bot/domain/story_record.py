"""The stored form of an article's dedup data: its MinHash signature and its story facts.

One BLOB per article (article_signature.signature). Rows written before story facts existed
hold `Signature.to_bytes()` alone and still read, as a signature without facts. Newer rows
start with `_MAGIC` (never the start of a signature, whose first four bytes are its small
format version), then the facts' version, the signature's length and bytes, and the facts as
compact JSON, so either part can change its format without the other.
"""

from __future__ import annotations

import json
from typing import Any, Final

from bot.domain.dedup import Signature
from bot.domain.figures import Day, Quantity
from bot.domain.story_facts import Named, StoryFacts

_MAGIC: Final = b"NDSF"
_VERSION: Final = 1
_HEAD: Final = len(_MAGIC) + 1 + 4  # magic, version, signature length


def encode(signature: Signature, facts: StoryFacts | None) -> bytes:
    """The BLOB of an article: the signature alone when it has no facts."""
    data = signature.to_bytes()
    if facts is None:
        return data
    head = _MAGIC + bytes([_VERSION]) + len(data).to_bytes(4, "little")
    return (
        head + data + json.dumps(_plain(facts), ensure_ascii=False, separators=(",", ":")).encode()
    )


def decode(blob: bytes) -> tuple[Signature, StoryFacts | None]:
    """Read `encode`; facts of an unknown later version, or damaged ones, read as none: an
    article without facts still clusters by its text, where failing would stop an ingest."""
    if not blob.startswith(_MAGIC):
        return Signature.from_bytes(blob), None
    size = int.from_bytes(blob[len(_MAGIC) + 1 : _HEAD], "little")
    signature = Signature.from_bytes(blob[_HEAD : _HEAD + size])
    if blob[len(_MAGIC)] != _VERSION:
        return signature, None
    try:
        return signature, _facts(json.loads(blob[_HEAD + size :]))
    except (ValueError, KeyError, TypeError):  # JSON or fields not as `encode` writes them
        return signature, None


def _plain(facts: StoryFacts) -> dict[str, Any]:
    return {
        "d": facts.published,
        "r": facts.regions,
        "l": facts.places,
        "q": facts.quantities,
        "t": facts.days,
        "p": facts.people,
        "o": facts.organisations,
    }


def _facts(data: dict[str, Any]) -> StoryFacts:
    return StoryFacts(
        published=int(data["d"]),
        regions=tuple(data["r"]),
        places=tuple(Named(*item) for item in data["l"]),
        quantities=tuple(Quantity(*item) for item in data["q"]),
        days=tuple(Day(*item) for item in data["t"]),
        people=tuple(Named(*item) for item in data["p"]),
        organisations=tuple(Named(*item) for item in data["o"]),
    )
