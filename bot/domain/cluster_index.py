"""Clusters of one story's versions, found from index keys, never by a pairwise scan.

An article is indexed under its MinHash band keys and its story-fact keys (both kept in the
`article_band` table when stored). Candidates sharing a band key are text matches when
`text_match.is_near_duplicate` says so and their story facts do not conflict; candidates sharing
two facts are one story when `story_match.fact_match` says so (another language, another
outlet's words).
"""

from __future__ import annotations

from struct import unpack
from typing import Final

import numpy as np

from bot.domain.minhash import I32, NUM_PERM, U8, Signature, band_keys
from bot.domain.story_facts import StoryFacts
from bot.domain.story_keys import fact_keys
from bot.domain.story_match import conflict, fact_match
from bot.domain.story_ties import may_tie_unit_figure, unit_figure_marks, unit_figure_reach
from bot.domain.text_match import MIN_JACCARD, containment, is_near_duplicate

# A candidate shares at least this many band keys with the new article.
MIN_SHARED_KEYS: Final = 1
# A candidate found by fact keys shares at least this many facts (a merge needs two at least;
# `ClusterIndex._sharing_facts` counts to two).
MIN_SHARED_FACTS: Final = 2
# A band key this many articles share is boilerplate (the minima of common stems), not a story:
# it is dropped from the index, so a lookup costs as much at 100,000 articles as at 100. A real
# copy shares many other keys (at Jaccard 0.45, 13 of 64 on average).
CROWDED: Final = 16
_DROPPED: Final = b""  # the bucket of a crowded key, for good


def index_keys(sig: Signature, facts: StoryFacts | None) -> list[int]:
    """Every key an article is indexed under: its band keys, then its fact keys."""
    return band_keys(sig) + fact_keys(facts)


def _vetoed(a: StoryFacts | None, b: StoryFacts | None) -> bool:
    """Whether story facts forbid a merge however alike the texts (see story_match.conflict)."""
    return a is not None and b is not None and conflict(a, b, same_text=True) is not None


class ClusterIndex:
    """In-memory clusters of near-duplicates; candidates come from shared index keys only.

    A bucket is bytes: its rows as 32-bit integers, so the buckets of an article's keys are
    joined and read by numpy without touching a Python int, and the garbage collector never
    tracks them (an index of lists makes every full collection walk a million of them). The low
    byte of every sketch value sits in one matrix, so the candidates are screened in one pass
    and `is_near_duplicate` runs only on the few that could pass it. Keys shared by `CROWDED`
    articles are dropped, so the work per article does not grow with the index.

    Articles with story facts are also indexed under their fact keys; a candidate sharing two
    facts whose text differs joins when `story_match.fact_match` says so. A text match whose
    facts conflict does not join.
    """

    _ROW: Final = "<i4"  # how a bucket holds a row
    _FULL: Final = 4 * (CROWDED - 1)  # bytes in a bucket of `CROWDED - 1` rows
    _ONES: Final = np.ones(NUM_PERM, dtype=np.float32)

    def __init__(self) -> None:
        self._buckets: dict[int, bytes] = {}  # band key -> rows, or _DROPPED
        self._rows: dict[int, int] = {}
        self._ids: list[int] = []
        self._signatures: list[Signature] = []
        self._facts: list[StoryFacts | None] = []
        self._figure_marks: list[tuple[int, ...] | None] = []  # of each row's facts
        self._cluster_of: dict[int, int] = {}
        self._prints: U8 = np.empty((64, NUM_PERM), dtype=np.uint8)

    def __len__(self) -> int:
        return len(self._ids)

    def candidates(self, keys: list[int]) -> list[int]:
        """Indexed articles sharing at least `MIN_SHARED_KEYS` of the given band keys (crowded
        keys aside), oldest first."""
        found = self._shared(list(map(self._buckets.get, keys)))
        return [self._ids[row] for row in sorted(set(found.tolist()))]

    @classmethod
    def _shared(cls, buckets: list[bytes | None]) -> I32:
        """Rows in at least `MIN_SHARED_KEYS` of the buckets, some more than once."""
        found: I32 = np.frombuffer(b"".join(filter(None, buckets)), dtype=cls._ROW)
        if MIN_SHARED_KEYS == 1:
            return found
        rows, counts = np.unique(found, return_counts=True)
        shared: I32 = rows[counts >= MIN_SHARED_KEYS]
        return shared

    def _best_match(
        self, sig: Signature, facts: StoryFacts | None, row: int, found: I32, by_facts: list[int]
    ) -> int | None:
        """The candidate of highest containment that is a near-duplicate, if any; else the
        candidate found by fact keys that tells the same story with the most shared facts
        (`row`: the article's own row of `_prints`)."""
        match = self._best_text_match(sig, facts, row, found)
        return self._best_fact_match(facts, by_facts) if match is None else match

    def _best_text_match(
        self, sig: Signature, facts: StoryFacts | None, row: int, found: I32
    ) -> int | None:
        """The near-duplicate of highest containment whose facts do not veto it, if any."""
        if len(found) == 0:
            return None
        # Equal values have equal low bytes, so agreement of the bytes bounds agreement of the
        # sketches: no candidate that could pass is screened out. A product with ones counts
        # far faster than np.count_nonzero(axis=1).
        same = self._prints.take(found, axis=0) == self._prints[row]
        agreeing = same.astype(np.float32) @ self._ONES
        best: tuple[float, int] | None = None
        for close in set(found[agreeing >= MIN_JACCARD * NUM_PERM].tolist()):
            other = self._signatures[close]
            if is_near_duplicate(sig, other) and not _vetoed(facts, self._facts[close]):
                score = (containment(sig, other), -self._ids[close])
                best = score if best is None or score > best else best
        return None if best is None else -best[1]

    def _best_fact_match(self, facts: StoryFacts | None, found: list[int]) -> int | None:
        """The candidate whose facts tie most strongly with these, if any is one story.
        `fact_match` needs a figure with a unit tied at weight 2, so candidates whose figures
        cannot tie one (`story_ties.may_tie_unit_figure`, most of them) are not matched."""
        if facts is None or not found:
            return None
        reach = unit_figure_reach(facts.quantities)
        best: tuple[int, int] | None = None
        for close in found:
            other = self._facts[close]
            weight = (
                fact_match(facts, other)
                if other is not None and may_tie_unit_figure(reach, self._figure_marks[close])
                else 0
            )
            if weight:
                score = (weight, -self._ids[close])
                best = score if best is None or score > best else best
        return None if best is None else -best[1]

    def add(self, article_id: int, sig: Signature, facts: StoryFacts | None = None) -> int:
        """Index an article; return its cluster id (the id of the cluster's first article)."""
        bands = band_keys(sig)
        keys = bands + fact_keys(facts)
        buckets = list(map(self._buckets.get, keys))
        row = self._store_prints(sig)
        by_text = self._shared(buckets[: len(bands)])
        by_facts = self._sharing_facts(buckets[len(bands) :])
        match = self._best_match(sig, facts, row, by_text, by_facts)
        cluster = article_id if match is None else self._cluster_of[match]
        self._insert(article_id, sig, facts, cluster, keys)
        return cluster

    @classmethod
    def _sharing_facts(cls, buckets: list[bytes | None]) -> list[int]:
        """Rows sharing at least `MIN_SHARED_FACTS` (two) facts, from the buckets of
        `fact_keys` (which alternate between two windows of days: a row shares a fact once per
        window), ascending. The buckets are few and short, so a set of the rows seen once beats
        numpy's fixed costs and a Counter's."""
        found: set[int] = set()
        for window in (buckets[0::2], buckets[1::2]):
            joined = b"".join(filter(None, window))
            if len(joined) >= 4 * MIN_SHARED_FACTS:
                once: set[int] = set()
                for row in unpack(f"<{len(joined) // 4}i", joined):  # as _ROW
                    if row in once:
                        found.add(row)
                    else:
                        once.add(row)
        return sorted(found)

    def restore(
        self, article_id: int, sig: Signature, cluster_id: int, facts: StoryFacts | None = None
    ) -> None:
        """Index an article clustered earlier (say, read back from the database) as it was."""
        if article_id not in self._rows:
            keys = index_keys(sig, facts)
            self._store_prints(sig)
            self._insert(article_id, sig, facts, cluster_id, keys)

    def _store_prints(self, sig: Signature) -> int:
        """Put the low bytes of the sketch in the next row of `_prints`; that row."""
        row = len(self._ids)
        if row == len(self._prints):
            self._prints = np.concatenate((self._prints, np.empty_like(self._prints)))
        self._prints[row] = sig.sketch  # assigning to uint8 keeps the low byte
        return row

    def _insert(
        self,
        article_id: int,
        sig: Signature,
        facts: StoryFacts | None,
        cluster: int,
        keys: list[int],
    ) -> None:
        """Index an article under `keys`, each key's bucket grown by one row: one read and one
        write per key (a key given twice reads the row just written, so holds it twice)."""
        row = len(self._ids)
        self._rows[article_id] = row
        self._ids.append(article_id)
        self._signatures.append(sig)
        self._facts.append(facts)
        self._figure_marks.append(None if facts is None else unit_figure_marks(facts.quantities))
        self._cluster_of[article_id] = cluster
        single = row.to_bytes(4, "little", signed=True)  # as _ROW
        store, full = self._buckets, self._FULL
        for key in keys:
            bucket = store.get(key)
            if bucket is None:
                store[key] = single
            elif 0 < len(bucket) < full:  # up to `CROWDED - 1` rows, then `_DROPPED` for good
                store[key] = bucket + single
            else:
                store[key] = _DROPPED
