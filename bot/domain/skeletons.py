"""Transliteration skeletons: one spelling-free key for a name in Kazakh, Russian or Latin.

Сейтжанов, Сейітжанов, Seitzhanov and Seıtjanov are one man; Теміртау and Temirtau one town.
Transliteration schemes disagree about vowels (Қарағанды / Karaganda / Qaraghandy) and about how
to write ж, ш, х, қ, ғ, so the skeleton keeps only consonants, each folded to one letter per
sound family, and collapses doubled letters. Skeletons of different names rarely collide within
one region or one story, which is all they are compared within.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from rapidfuzz.fuzz import ratio

# Latin digraphs first (longest first), so "zh" is one sound and not z + h.
_LATIN_DIGRAPHS: Final = re.compile(r"shch|sch|dzh|kh|gh|zh|sh|ch|ts|dj|ph|th|ck")
_DIGRAPH_SOUNDS: Final = {
    "shch": "s",
    "sch": "s",
    "dzh": "j",
    "kh": "k",
    "gh": "g",
    "zh": "j",
    "sh": "s",
    "ch": "s",
    "ts": "s",
    "dj": "j",
    "ph": "f",
    "th": "t",
    "ck": "k",
}
# Every letter to its sound family; vowels, soft and hard signs and й to nothing.
_LETTERS: Final = str.maketrans(
    {
        **dict.fromkeys("aeiouyаеёиоуыэюяәөұүійъь'’áäóöúüūýı", ""),
        "б": "b",
        "в": "v",
        "w": "v",
        "г": "g",
        "ғ": "g",
        "ǵ": "g",
        "ğ": "g",
        "д": "d",
        "ж": "j",
        "з": "z",
        "к": "k",
        "қ": "k",
        "q": "k",
        "c": "k",
        "х": "k",
        "h": "",
        "һ": "",
        "л": "l",
        "м": "m",
        "н": "n",
        "ң": "n",
        "ń": "n",
        "ñ": "n",
        "п": "p",
        "р": "r",
        "с": "s",
        "ш": "s",
        "ş": "s",
        "ç": "s",
        "щ": "s",
        "ч": "s",
        "ц": "s",
        "т": "t",
        "ф": "f",
        "x": "ks",
    }
)
_DOUBLED: Final = re.compile(r"(.)\1+")
_NOT_LETTER: Final = re.compile(r"[\W\d_]+")
# Skeletons at least this alike (rapidfuzz ratio, 0-100) name one thing: one letter of five may
# differ (Бұқар / Bukhar, a dropped or doubled consonant in a transliteration).
SAME_NAME: Final = 80.0


@lru_cache(maxsize=1 << 16)
def skeleton(name: str) -> str:
    """The consonant skeleton of a name in any of our scripts ("Seitzhanov" → "stjnv");
    remembered, as names recur from article to article."""
    low = _NOT_LETTER.sub("", name.lower())
    low = _LATIN_DIGRAPHS.sub(lambda match: _DIGRAPH_SOUNDS[match.group()], low)
    return _DOUBLED.sub(r"\1", low.translate(_LETTERS))


def same_name(a: str, b: str) -> bool:
    """Whether two skeletons are one name, allowing a letter's difference in a long one."""
    if a == b:
        return True
    if min(len(a), len(b)) < 4:
        return False
    return ratio(a, b) >= SAME_NAME
