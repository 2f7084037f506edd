"""What the tokeniser needs to know of every character of the Basic Multilingual Plane, as arrays.

`bot.domain.bulk_reading` reads a text as an array of code points; indexing these tables with
that array answers, for every character at once, the questions `tokens` asks one string at a
time: is it part of a word, a dash, which letter does `normal_form` make of it, is it a small or
capital letter or a digit. Each answer is taken from the same Python calls (`re`, `str.lower`,
`str.isdigit`), so the two readings agree by construction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Final

import numpy as np
import numpy.typing as npt

from bot.domain.tokens import CYRILLIC_LETTERS, normalise

U8 = npt.NDArray[np.uint8]
U32 = npt.NDArray[np.uint32]

PLANE: Final = 0x10000  # characters beyond it (emoji, rare scripts) are read the slow way

# Kinds of character (`CharTables.kind`).
OTHER: Final = 0
LETTER: Final = 1  # a letter or digit: part of a word (the `[^\W_]` of `tokens`)
DASH_MARK: Final = 2  # an en or em dash: a token of its own
HYPHEN: Final = 3  # a token only between non-words ("a - b"); inside a word it splits it
ODD_LETTER: Final = 4  # a word character that lower-cases to other than one character

# Bits of `CharTables.case`.
SMALL: Final = 1
CAPITAL: Final = 2
DIGIT: Final = 4

_WORD_CHAR: Final = re.compile(r"[^\W_]")
# Greek capital sigma lower-cases by its place in the word (σ or final ς).
_CONTEXTUAL: Final = frozenset("Σ")


@dataclass(frozen=True, slots=True)
class CharTables:
    """Per code point: its kind, the code point of its normalised form, case bits, Cyrillic."""

    kind: U8
    low: U32
    case: U8
    cyrillic: U8


@cache
def char_tables() -> CharTables:
    """The tables, built once per process (about 0.1 s)."""
    kind = np.zeros(PLANE, dtype=np.uint8)
    low = np.arange(PLANE, dtype=np.uint32)
    case = np.zeros(PLANE, dtype=np.uint8)
    for point in range(PLANE):
        char = chr(point)
        if _WORD_CHAR.match(char) is None:
            continue
        folded = normalise(char)
        if len(folded) != 1 or char in _CONTEXTUAL:
            kind[point] = ODD_LETTER
            continue
        kind[point] = LETTER
        low[point] = ord(folded)
        case[point] = (
            (SMALL if char.islower() else 0)
            | (CAPITAL if char.isupper() else 0)
            | (DIGIT if char.isdigit() else 0)
        )
    kind[[ord("–"), ord("—")]] = DASH_MARK
    kind[ord("-")] = HYPHEN
    cyrillic = np.zeros(PLANE, dtype=np.uint8)
    cyrillic[[ord(char) for char in CYRILLIC_LETTERS]] = 1
    return CharTables(kind=kind, low=low, case=case, cyrillic=cyrillic)
