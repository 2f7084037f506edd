"""Near-duplicate detection: MinHash over word stems, LSH keys for candidates.

The same story from two sources must meet whether it was reworded or cut short; different
stories that share a press-service credit, a region or a topic must not. Rewording keeps the
facts (names, places, figures) and changes the phrasing, so shingles are single content words cut
to a stem, not word n-grams; a shortened copy keeps most of its words inside the longer text, so
the decision rests on containment (shared stems / stems of the shorter text) estimated from the
sketches. Band keys go into an index (in memory here, a (band_key, article_id) table in the
database), so candidates come from equal keys and never from a pairwise scan;
`is_near_duplicate` then decides from the two signatures alone.
"""

from __future__ import annotations

import re
from itertools import repeat
from typing import TYPE_CHECKING, Final

import numpy as np

from bot.domain.minhash import (
    I32,
    NUM_PERM,
    U8,
    U32,
    Signature,
    agreement,
    band_keys,
    distinct,
    sketch,
)
from bot.domain.shingles import content_shingles
from bot.domain.tokens import normal_words

if TYPE_CHECKING:
    from bot.domain.reading import ArticleWords

__all__ = [
    "CROWDED",
    "MIN_SHARED_KEYS",
    "ClusterIndex",
    "Signature",
    "article_signature",
    "band_keys",
    "containment",
    "is_near_duplicate",
    "signature",
    "similarity",
    "text_for_dedup",
]

# A candidate shares at least this many band keys with the new article.
MIN_SHARED_KEYS: Final = 1
# A band key this many articles share is boilerplate (the minima of common stems), not a story:
# it is dropped from the index, so a lookup costs as much at 100,000 articles as at 100. A real
# copy shares many other keys (at Jaccard 0.45, 13 of 64 on average).
CROWDED: Final = 16
_DROPPED: Final = b""  # the bucket of a crowded key, for good

# Thresholds of `is_near_duplicate`, on estimates from the sketches.
_SAME_TEXT: Final = 0.45  # Jaccard similarity that needs nothing else
_CONTAINED: Final = 0.55  # containment of the shorter text
_CONTAINED_JACCARD: Final = 0.12  # a floor, so a few lines inside a long round-up do not count
_MIN_SIZE: Final = 8  # fewer stems than this: only a near-identical text counts
# No pair less similar than this is a near-duplicate: a cheap filter before the full decision.
MIN_JACCARD: Final = min(_SAME_TEXT, _CONTAINED_JACCARD)

# Credit lines, links and handles close a press release and are shared by unrelated stories of
# one publisher. They are cut from the end of the body only: scanning the whole text with these
# patterns would cost more than the rest of the signature. Each pattern runs only when a cheap
# substring test says it may match.
_TAIL_CHARS: Final = 400
_LINKS: Final = re.compile(r"https?://\S+|www\.\S+|@\w+")
_SOURCE: Final = re.compile(r"(?:source|источник|дереккөз)\s*:", re.IGNORECASE)
_PRESS: Final = re.compile(r"(?:press[- ]service|пресс-служб)[^.!?\n]{0,80}", re.IGNORECASE)
# Kazakh names the press service last ("Облыс әкімінің баспасөз қызметі"); a pattern that looks
# back from every position is slow, so it runs only when the phrase is there.
_KK_CREDIT: Final = re.compile(r"[^.!?\n]{0,60}баспасөз қызмет\w*", re.IGNORECASE)


def _cut_credits(tail: str) -> str:
    if "http" in tail or "www." in tail or "@" in tail:
        tail = _LINKS.sub(" ", tail)
    folded = tail.casefold()
    if "source" in folded or "источник" in folded or "дереккөз" in folded:
        tail = _SOURCE.sub(" ", tail)
    if "press" in folded or "пресс" in folded:
        tail = _PRESS.sub(" ", tail)
    if "аспасөз" in tail or "АСПАСӨЗ" in tail:
        tail = _KK_CREDIT.sub(" ", tail)
    return tail


def text_for_dedup(title: str, body: str) -> str:
    """Title and body with the closing credit lines and links removed."""
    head, tail = body[:-_TAIL_CHARS], body[-_TAIL_CHARS:]
    return f"{title}\n{head}{_cut_credits(tail)}"


def signature(text: str) -> Signature:
    """The signature of a text (use `text_for_dedup` to build one from a title and body)."""
    return _sign(content_shingles(normal_words(text)))


def article_signature(text: ArticleWords) -> Signature:
    """`signature(text_for_dedup(title, body))`, from the shingles already read when no credit
    line or link had to be cut."""
    tail = text.body[-_TAIL_CHARS:]
    if _cut_credits(tail) != tail:
        return signature(text_for_dedup(text.title, text.body))
    return _sign(text.shingles)


def _sign(shingles: U32) -> Signature:
    # `distinct` sorts: `np.unique` costs several times as much on a few hundred values.
    return Signature(sketch=sketch(shingles), size=distinct(shingles))


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


class ClusterIndex:
    """In-memory clusters of near-duplicates; candidates come from shared band keys only.

    A bucket is bytes: its rows as 32-bit integers, so the buckets of an article's keys are
    joined and read by numpy without touching a Python int, and the garbage collector never
    tracks them (an index of lists makes every full collection walk a million of them). The low
    byte of every sketch value sits in one matrix, so the candidates are screened in one pass
    and `is_near_duplicate` runs only on the few that could pass it. Keys shared by `CROWDED`
    articles are dropped, so the work per article does not grow with the index.
    """

    _ROW: Final = "<i4"  # how a bucket holds a row
    _FULL: Final = 4 * (CROWDED - 1)  # bytes in a bucket of `CROWDED - 1` rows
    _ONES: Final = np.ones(NUM_PERM, dtype=np.float32)

    def __init__(self) -> None:
        self._buckets: dict[int, bytes] = {}  # band key -> rows, or _DROPPED
        self._rows: dict[int, int] = {}
        self._ids: list[int] = []
        self._signatures: list[Signature] = []
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

    def _best_match(self, sig: Signature, row: int, found: I32) -> int | None:
        """The candidate of highest containment that is a near-duplicate, if any (`row`: the
        article's own row of `_prints`)."""
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
            if is_near_duplicate(sig, other):
                score = (containment(sig, other), -self._ids[close])
                best = score if best is None or score > best else best
        return None if best is None else -best[1]

    def add(self, article_id: int, sig: Signature) -> int:
        """Index an article; return its cluster id (the id of the cluster's first article)."""
        keys = band_keys(sig)
        buckets = list(map(self._buckets.get, keys))
        match = self._best_match(sig, self._store_prints(sig), self._shared(buckets))
        cluster = article_id if match is None else self._cluster_of[match]
        self._insert(article_id, sig, cluster, keys, buckets)
        return cluster

    def restore(self, article_id: int, sig: Signature, cluster_id: int) -> None:
        """Index an article clustered earlier (say, read back from the database) as it was."""
        if article_id not in self._rows:
            keys = band_keys(sig)
            self._store_prints(sig)
            self._insert(article_id, sig, cluster_id, keys, list(map(self._buckets.get, keys)))

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
        cluster: int,
        keys: list[int],
        buckets: list[bytes | None],
    ) -> None:
        """Index an article under `keys`, whose `buckets` were read after the last insert."""
        row = len(self._ids)
        self._rows[article_id] = row
        self._ids.append(article_id)
        self._signatures.append(sig)
        self._cluster_of[article_id] = cluster
        index, single = self._buckets, row.to_bytes(4, "little", signed=True)  # as _ROW
        if len(set(keys)) < len(keys):  # a key twice: one occurrence after the other
            for key in keys:
                bucket = index.get(key)
                index[key] = single if bucket is None else self._grown(bucket, single)
            return
        new = [key for key, bucket in zip(keys, buckets, strict=True) if bucket is None]
        index.update(zip(new, repeat(single)))
        if len(new) < len(keys):
            for key, bucket in zip(keys, buckets, strict=True):
                if bucket:  # neither new nor dropped
                    index[key] = self._grown(bucket, single)

    @classmethod
    def _grown(cls, bucket: bytes, single: bytes) -> bytes:
        """The bucket with one more row: up to `CROWDED - 1` rows, then `_DROPPED` for good."""
        return bucket + single if 0 < len(bucket) < cls._FULL else _DROPPED

    def cluster_of(self, article_id: int) -> int:
        """The cluster id given to an indexed article."""
        return self._cluster_of[article_id]
