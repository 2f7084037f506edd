"""MinHash sketches, their byte encoding and their LSH band keys.

Signatures are stored (a BLOB per article, band keys in an indexed BIGINT column), so every
constant here is derived from a fixed splitmix64 stream and never from numpy's random generator,
whose streams may change between releases. Changing a constant means bumping `FORMAT_VERSION`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
U8 = npt.NDArray[np.uint8]
I32 = npt.NDArray[np.int32]

# 3: shingles are hashed word stems (bot/domain/shingles.py).
FORMAT_VERSION: Final = 3
NUM_PERM: Final = 128
# LSH bands of two rows: NUM_PERM / BAND_ROWS keys per text.
BAND_ROWS: Final = 2

_MASK32: Final = (1 << 32) - 1
_MASK64: Final = (1 << 64) - 1
_HEADER: Final = 2
_SPREAD: Final = 0x9E3779B97F4A7C15  # odd: multiplying by it permutes 64-bit values


def _splitmix64(seed: int, count: int) -> list[int]:
    """A fixed stream of 64-bit constants."""
    out = []
    state = seed
    for _ in range(count):
        state = (state + 0x9E3779B97F4A7C15) & _MASK64
        value = ((state ^ (state >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
        value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK64
        out.append(value ^ (value >> 31))
    return out


_A: Final[U32] = np.array([v & _MASK32 | 1 for v in _splitmix64(1, NUM_PERM)], dtype=np.uint32)
_B: Final[U32] = np.array([v & _MASK32 for v in _splitmix64(2, NUM_PERM)], dtype=np.uint32)
# Each band's key is salted with its position, so equal values in different bands differ.
_BAND_SALTS: Final[U64] = np.array(_splitmix64(3, NUM_PERM // BAND_ROWS), dtype=np.uint64)
# For `band_keys`: ((x * _SPREAD) ^ salt) & (2**63 - 1) is ((x * 2 _SPREAD) ^ (salt << 1)) >> 1.
_ONE: Final = np.array(1, dtype=np.uint64)
_SPREAD_TWICE: Final = np.array((_SPREAD << 1) & _MASK64, dtype=np.uint64)
_SALTS_TWICE: Final[U64] = _BAND_SALTS << _ONE


@dataclass(frozen=True, slots=True, eq=False)
class Signature:
    """The MinHash sketch of a text's shingle set and the size of that set."""

    sketch: U32
    size: int

    def to_bytes(self) -> bytes:
        """A compact, versioned encoding (520 bytes) for a BLOB column."""
        header = np.array([FORMAT_VERSION, self.size], dtype="<u4")
        return header.tobytes() + self.sketch.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        """Decode `to_bytes`; refuses data of another version or length."""
        if len(data) != 4 * (_HEADER + NUM_PERM):
            raise ValueError("not a signature of this format")
        values = np.frombuffer(data, dtype="<u4").astype(np.uint32)
        if int(values[0]) != FORMAT_VERSION:
            raise ValueError("not a signature of this format")
        return cls(sketch=values[_HEADER:], size=int(values[1]))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Signature):
            return NotImplemented
        return self.size == other.size and bool(np.array_equal(self.sketch, other.sketch))

    def __hash__(self) -> int:
        return hash((self.size, self.sketch.tobytes()))


def sketch(hashes: U32) -> U32:
    """Minimum of each of `NUM_PERM` permutations x -> a*x+b mod 2**32 (a odd).

    Repeated hashes need no removal: they cannot change a minimum.
    """
    if len(hashes) == 0:
        return np.full(NUM_PERM, _MASK32, dtype=np.uint32)
    permuted = np.multiply.outer(hashes, _A)
    permuted += _B
    minimum: U32 = permuted.min(axis=0)
    return minimum


def distinct(hashes: U32) -> int:
    """How many different values an array holds."""
    if len(hashes) == 0:
        return 0
    ordered = np.sort(hashes)
    return 1 + int(np.count_nonzero(ordered[1:] != ordered[:-1]))


def agreement(a: U32, b: U32) -> float:
    """Share of positions where two sketches agree: the estimated Jaccard similarity."""
    return float(np.count_nonzero(a == b)) / len(a)


def band_keys(sig: Signature) -> list[int]:
    """LSH band keys, each in [0, 2**63) so it fits a signed BIGINT; none for an empty text.

    A band is `BAND_ROWS` consecutive sketch values; texts of Jaccard similarity J share a band
    with probability J**2, so at J = 0.2 (a short copy of a long text) one of the 64 bands is
    shared 93% of the time, while unrelated texts (J near 0.03) rarely share one.
    """
    if sig.size == 0:
        return []
    # Big-endian pairs read as one 64-bit value: (value 2i << 32) | value 2i+1, on any machine.
    combined = sig.sketch.astype(">u4").view(">u8")
    keyed = np.multiply(combined, _SPREAD_TWICE, dtype=np.uint64)
    keyed ^= _SALTS_TWICE
    keyed >>= _ONE
    keys: list[int] = keyed.tolist()
    return keys
