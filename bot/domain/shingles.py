"""The shingles of a text for near-duplicate detection: hashed word stems.

Python's own `hash` is salted per process, and signatures are stored, so stems are hashed with a
fixed polynomial over code points (`polynomial_hash`) followed by the splitmix64 finaliser, all
modulo 2**64. Articles read in bulk get theirs from `stem_shingles`, over the stem hashes
bot.domain.bulk_reading computes for all their words at once; any other text from
`content_shingles`, which remembers each distinct word's (`WORD_SHINGLES`). Both give the same
values.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import mul
from typing import Final

import numpy as np
import numpy.typing as npt

from bot.domain.tokens import Memo, words

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]

STEM_CHARS: Final = 5
NUMBER_WEIGHT: Final = 3
NO_SHINGLE: Final = -1  # the primary shingle of a stopword or a one-letter word
_MASK64: Final = (1 << 64) - 1
_MASK32: Final = (1 << 32) - 1
HASH_BASE: Final = 0x100000001B3
_POWERS: Final = tuple(pow(HASH_BASE, k, 1 << 64) for k in range(STEM_CHARS))
_MIX1: Final = 0xBF58476D1CE4E5B9
_MIX2: Final = 0x94D049BB133111EB
_NUMBER_SALTS: Final = tuple(0x5851F42D4C957F2D * k for k in range(1, NUMBER_WEIGHT))
_MEMO_LIMIT: Final = 300_000

# Words too frequent to tell one story from another (en, ru, kk), which every story of a publisher
# shares: function words, and the officialese of press releases (meetings, instructions, plans,
# amounts). Compared by stem, so one form stands for all.
_STOPWORDS: Final = """
a an the of in on at to for from by with and or but as is are was were be been will would has have
had it its this that these those which who whom also than not no more most all any each other such
into about over after before during under within between through per up out so can may must should
he she they we you our their his her them said says region regional district city akim akimat mayor
head heads meeting chaired held instructed noted emphasized stressed necessary important issues
tasks work works responsible department development implementation project plan year today
currently according information including addition total million billion thousand tenge percent
people residents population local state government deputy governor part field framework
и в во на по с со к ко о об от до из за при для не но а же что как это так также или ли бы был
была были было будет будут его ее её их он она они мы вы который которая которые которых этом этой
этого году года год области района города аким акимат глава отметил сказал сообщил совещание
заседание поручил подчеркнул необходимо важно вопросы задачи работа ответственных руководители
управления развитие реализация проекты планируется сегодня настоящее время согласно информации
итоги рамках млн млрд тысяч тенге процентов жителей населения местных государственных заместитель
және мен бен пен бойынша жылы жыл үшін бұл осы ол оның олар арқылы туралы қатысты деп да де та те
болып болды болады тиіс бар сондай ақ облысы облысының облысында ауданы ауданында қаласы әкім
әкімі әкімдігі айтты атап өтті жиналыс отырыс тапсырды қажет маңызды мәселелер міндеттер жұмыс
жауапты басшылары басқарма даму дамыту іске асыру жоба жоспар бүгін қазіргі таңда сәйкес ақпарат
млн млрд мың теңге пайыз тұрғындар халық жергілікті мемлекеттік орынбасары
press service пресс служба баспасөз қызметі source источник дереккөз
http https www gov kz memleket entities news details
2018 2019 2020 2021 2022 2023 2024 2025 2026 2027 2028 2029 2030
"""


def _mix(value: int) -> int:
    """splitmix64 finaliser: spreads the polynomial's low-entropy bits over all 64."""
    value ^= value >> 30
    value = (value * _MIX1) & _MASK64
    value ^= value >> 27
    value = (value * _MIX2) & _MASK64
    return value ^ (value >> 31)


def _fold(value: int) -> int:
    return (value ^ (value >> 32)) & _MASK32


def polynomial_hash(text: str) -> int:
    """The sum of each code point times `HASH_BASE` to the power of its position, mod 2**64."""
    total = sum(ord(char) * pow(HASH_BASE, power, 1 << 64) for power, char in enumerate(text))
    return total & _MASK64


def _stem_hash(word: str) -> int:
    """`polynomial_hash` of a word's first `STEM_CHARS` code points (powers precomputed)."""
    total: int = sum(map(mul, map(ord, word[:STEM_CHARS]), _POWERS))
    return total & _MASK64


_STOP_HASHES: Final = frozenset(map(_stem_hash, words(_STOPWORDS)))
# For `stem_shingles`: the stop hashes by slot, so one lookup tells whether a hash is a
# stopword's. The slot is the top bits of the hash times a multiplier chosen (the first of a fixed
# sequence) so that no two stopwords share a slot; an empty slot holds a value of another slot,
# so it matches nothing.
_STOP_BITS: Final = 15


def _slot(value: int, multiplier: int) -> int:
    return ((value * multiplier) & _MASK64) >> (64 - _STOP_BITS)


def _stop_table() -> tuple[int, npt.NDArray[np.uint64]]:
    """The multiplier and the table."""
    for attempt in range(1, 10_000):
        multiplier = _mix(attempt) | 1
        slots = {_slot(value, multiplier): value for value in _STOP_HASHES}
        if len(slots) == len(_STOP_HASHES):
            break
    else:  # pragma: no cover - a few dozen attempts suffice for a thousand stopwords
        raise AssertionError("no multiplier separates the stopwords: raise _STOP_BITS")
    stranger = next(v for v in range(2, 1 << 20) if _slot(v, multiplier) != _slot(1, multiplier))
    home_of_one = _slot(1, multiplier)
    table = [
        slots.get(slot, 1 if slot != home_of_one else stranger) for slot in range(1 << _STOP_BITS)
    ]
    return multiplier, np.array(table, dtype=np.uint64)


_STOP_MULTIPLIER, _STOP_TABLE = _stop_table()
# The same constants as numpy scalars, so array arithmetic stays in uint64 (and wraps).
_U64_STOP_MULTIPLIER: Final = np.uint64(_STOP_MULTIPLIER)
_U64_STOP_SHIFT: Final = np.uint64(64 - _STOP_BITS)
_U64_MIX1: Final = np.uint64(_MIX1)
_U64_MIX2: Final = np.uint64(_MIX2)
_U64_SALTS: Final = np.array(_NUMBER_SALTS, dtype=np.uint64)


def word_shingles(word: str) -> tuple[int, tuple[int, ...]]:
    """The shingles of one normalised word: its stem's (`NO_SHINGLE` for none) and, for a number,
    `NUMBER_WEIGHT - 1` more.

    Each content word gives the hash of its first `STEM_CHARS` letters; stopwords and one-letter
    words give none. Cutting words to a stem lets inflected forms meet (больница, больницы;
    облысында, облысы), which a rewording changes freely. Numbers (years excepted, as
    stopwords) are what a retelling keeps and another story of the same publisher lacks, so each
    counts `NUMBER_WEIGHT` times, as that many distinct shingles.
    """
    if len(word) < 2:
        return NO_SHINGLE, ()
    raw = _stem_hash(word)
    if raw in _STOP_HASHES:
        return NO_SHINGLE, ()
    mixed = _mix(raw)
    if not "0" <= word[0] <= "9":
        return _fold(mixed), ()
    return _fold(mixed), tuple(_fold(_mix(mixed ^ salt)) for salt in _NUMBER_SALTS)


def _mix_array(values: U64) -> U64:
    """`_mix` of every value, in place."""
    values ^= values >> np.uint64(30)
    values *= _U64_MIX1
    values ^= values >> np.uint64(27)
    values *= _U64_MIX2
    values ^= values >> np.uint64(31)
    return values


def stem_shingles(
    stems: U64, numbers: npt.NDArray[np.bool_]
) -> tuple[U32, npt.NDArray[np.bool_], U32]:
    """The shingles of many words at once, as `word_shingles` gives them one by one.

    `stems` are the `_stem_hash`es of words of two characters or more, `numbers` tells which
    of them begin with a digit. Returns the primary shingles of the content words, which words
    those are, and the extra shingles of the content words that are numbers (`NUMBER_WEIGHT - 1`
    each, one number after the other).
    """
    slots = stems * _U64_STOP_MULTIPLIER
    slots >>= _U64_STOP_SHIFT
    content = _STOP_TABLE[slots] != stems
    mixed = _mix_array(stems[content])
    number_mixed = mixed[numbers[content]]
    extra = _mix_array(np.bitwise_xor.outer(number_mixed, _U64_SALTS).ravel())
    return _fold_array(mixed), content, _fold_array(extra)


def _fold_array(values: U64) -> U32:
    """`_fold` of every value (in place, then cut to 32 bits)."""
    values ^= values >> np.uint64(32)
    folded: U32 = values.astype(np.uint32)  # the low 32 bits
    return folded


WORD_SHINGLES: Final[Memo[str, tuple[int, tuple[int, ...]]]] = Memo(word_shingles, _MEMO_LIMIT)


def content_shingles(normalised_words: Sequence[str]) -> U32:
    """32-bit shingles of a text's words (as `tokens.words` gives them); see `word_shingles`:
    the primary shingles of the content words, then the extra ones of the numbers."""
    pairs = list(map(WORD_SHINGLES.__getitem__, normalised_words))
    primary = np.array([pair[0] for pair in pairs], dtype=np.int64)
    kept = primary[primary != NO_SHINGLE].astype(np.uint32)
    extra = [x for pair in pairs for x in pair[1]]
    return np.concatenate((kept, np.array(extra, dtype=np.uint32))) if extra else kept
