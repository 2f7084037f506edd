"""One source's share of a digest.

No source may fill a digest alone: one feed with 100,000 items would otherwise be all any chat
ever reads. Each source first gets at most `source_share(limit)` of a digest's items. When the
others cannot fill the rest, the stories held back share the free places in turns: every
source's next story, newest first, then the next, so a flood never crowds out a small source
and a lone source still fills its reader's digest. What does not fit is counted in the
overflow like the stories past the limit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Final

import numpy as np
import numpy.typing as npt

NO_SOURCE: Final = -1
"""The number of an unknown source, and of a story told by several: no share applies."""

_CHUNK: Final = 64


def source_share(limit: int) -> int:
    """How many of a digest's `limit` items one source may have: a third, and at least 3."""
    return max(3, limit // 3)


class SourceShares:
    """The items each source (by number) has had in one digest, and which have had their share."""

    __slots__ = ("_share", "_shown", "full")

    def __init__(self, limit: int) -> None:
        self._share = source_share(limit)
        self._shown: Counter[int] = Counter()
        self.full: set[int] = set()

    def admit(self, source: int) -> bool:
        """Count one more item of `source`; False (and not counted) when it has had its share."""
        if source in self.full:
            return False
        if source != NO_SOURCE:
            self._shown[source] += 1
            if self._shown[source] >= self._share:
                self.full.add(source)
        return True


def newest_first(
    ranks: npt.NDArray[np.intp], only_source: npt.NDArray[np.int64], full: set[int]
) -> Iterator[int]:
    """Ranks as Python ints, converted a chunk at a time: most digests stop after a few.

    `only_source[rank]` is the one source every article of the rank's story comes from
    (NO_SOURCE when several); `full` holds the sources that have had their share, and grows
    as the caller admits items. The stories only those sources tell are then dropped from the
    rest in one vectorised step, so 100,000 articles of one feed cost no Python loop.
    """
    known, start = 0, 0
    while start < len(ranks):
        if len(full) > known:
            known = len(full)
            rest = ranks[start:]
            ranks, start = rest[~np.isin(only_source[rest], list(full))], 0
        yield from ranks[start : start + _CHUNK].tolist()
        start += _CHUNK


def held_back_in_turns(
    ranks: npt.NDArray[np.intp],
    only_source: npt.NDArray[np.int64],
    story_array: npt.NDArray[np.int64],
    full: set[int],
    seen: set[int],
    places: int,
) -> list[int]:
    """Ranks of the stories the full sources were held back from, taken in turns for
    `places` free places: the first held story of each source (newest first among them),
    then the second, and so on. Stories told by several sources are not refilled."""
    turns: list[tuple[int, int]] = []
    sources = only_source[ranks]
    for source in full:
        mine = ranks[sources == source]
        stories = story_array[mine]
        _, first = np.unique(stories, return_index=True)
        turn = 0
        for position in np.sort(first).tolist():
            if int(stories[position]) in seen:
                continue
            turns.append((turn, int(mine[position])))
            turn += 1
            if turn >= places:
                break
    turns.sort()
    return [rank for _, rank in turns[:places]]
