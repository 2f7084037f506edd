"""Functions the parsing-pool tests run in a worker process (importable there by name)."""

from __future__ import annotations

import os

from bot.ingest.errors import SourceError


def spin_forever() -> int:
    """What a backtracking regular expression does: burn CPU and never return."""
    count = 0
    while True:
        count += 1


def die() -> int:
    """A worker that crashes (a parser segfault, the kernel's OOM killer)."""
    os._exit(9)


def refuse() -> int:
    raise SourceError("feed.malformed", detail="not a feed")


def double(value: int) -> int:
    return value * 2
