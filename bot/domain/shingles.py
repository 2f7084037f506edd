"""The shingles of a text for near-duplicate detection: hashed word stems.

Each content word gives the hash of its first `STEM_CHARS` characters; stopwords and one-letter
words give none. Cutting words to a stem lets inflected forms meet (больница, больницы;
облысында, облысы), which a rewording changes freely. Numbers (years excepted, as stopwords) are
what a retelling keeps and another story of the same publisher lacks, so each counts
`NUMBER_WEIGHT` times, as that many distinct shingles.

Python's own `hash` is salted per process, and signatures are stored, so a stem is hashed with a
fixed polynomial over its code points followed by the splitmix64 finaliser, all modulo 2**64,
and folded to 32 bits. Changing any of it changes stored signatures (minhash.FORMAT_VERSION).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from bot.domain.tokens import words

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

STEM_CHARS: Final = 5
NUMBER_WEIGHT: Final = 3
_POWERS: Final[U64] = np.array(
    [pow(0x100000001B3, k, 1 << 64) for k in range(STEM_CHARS)], dtype=np.uint64
)
_PADDING: Final = "\0" * STEM_CHARS  # past the last word, so every stem has its characters
_NO_WORDS: Final = (
    np.zeros(0, dtype=np.uint64),
    np.zeros(0, dtype=np.uint64),
    np.zeros(0, dtype=np.int64),
)
_SALTS: Final[U64] = np.array(
    [(0x5851F42D4C957F2D * k) % (1 << 64) for k in range(1, NUMBER_WEIGHT)], dtype=np.uint64
)

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


def _stems(normal_text: str) -> tuple[U64, U64, I64]:
    """For each word of `normal_text` (words joined by single spaces): the hash of its first
    `STEM_CHARS` code points (the sum of each times 0x100000001B3 to the power of its position,
    mod 2**64), its first code point, and its length."""
    if not normal_text:
        return _NO_WORDS
    codes = np.frombuffer(f"{normal_text}{_PADDING}".encode("utf-32-le"), dtype=np.uint32)
    first = np.flatnonzero(codes[:-STEM_CHARS] == ord(" ")) + 1
    lengths = np.diff(first, prepend=0, append=len(codes) - STEM_CHARS + 1) - 1
    first = np.concatenate(([0], first))
    hashes = np.zeros(len(first), dtype=np.uint64)
    for position, power in enumerate(_POWERS):
        column = codes[first + position].astype(np.uint64)
        column[lengths <= position] = 0
        hashes += column * power
    return hashes, codes[first].astype(np.uint64), lengths


def _mix(values: U64) -> U64:
    """splitmix64 finaliser: spreads the polynomial's low-entropy bits over all 64."""
    values = values ^ (values >> np.uint64(30))
    values *= np.uint64(0xBF58476D1CE4E5B9)
    values ^= values >> np.uint64(27)
    values *= np.uint64(0x94D049BB133111EB)
    values ^= values >> np.uint64(31)
    return values


def _fold(values: U64) -> U32:
    """The two halves of each value combined into 32 bits."""
    folded: U32 = (values ^ (values >> np.uint64(32))).astype(np.uint32)
    return folded


_STOP_HASHES: Final[U64] = np.unique(_stems(" ".join(words(_STOPWORDS)))[0])
# Marks by the top 16 bits of a stopword's mixed hash: one lookup clears most words.
_STOP_MARKS: Final = np.zeros(1 << 16, dtype=np.bool_)
_STOP_MARKS[_mix(_STOP_HASHES) >> np.uint64(48)] = True


def _is_stopword(hashes: U64, mixed: U64) -> npt.NDArray[np.bool_]:
    """Which of the stem hashes (and their `_mix`) are a stopword's."""
    marked = np.flatnonzero(_STOP_MARKS[mixed >> np.uint64(48)])
    found = np.zeros(len(hashes), dtype=np.bool_)
    at = np.searchsorted(_STOP_HASHES, hashes[marked]) % len(_STOP_HASHES)
    found[marked] = _STOP_HASHES[at] == hashes[marked]
    return found


def shingles_of(normal_text: str, bounds: Sequence[int]) -> list[U32]:
    """32-bit shingles of the words (normal forms joined by single spaces) between each two
    consecutive `bounds` (word indexes, ascending): the primary shingles of the content words,
    then the extra ones of the numbers. Many texts in one call spread numpy's fixed cost."""
    hashes, first, lengths = _stems(normal_text)
    mixed = _mix(hashes)
    content = np.flatnonzero((lengths >= 2) & ~_is_stopword(hashes, mixed))
    mixed = mixed[content]
    numbers = (first[content] - np.uint64(ord("0"))) < np.uint64(10)
    extra = _fold(_mix((mixed[numbers][:, np.newaxis] ^ _SALTS).ravel()))
    extra_at = np.repeat(content[numbers], NUMBER_WEIGHT - 1)
    primary = _fold(mixed)
    cuts = np.searchsorted(content, bounds).tolist()
    extra_cuts = np.searchsorted(extra_at, bounds).tolist()
    return [
        np.concatenate((primary[cuts[k] : cuts[k + 1]], extra[extra_cuts[k] : extra_cuts[k + 1]]))
        for k in range(len(bounds) - 1)
    ]


def content_shingles(normal_words: Sequence[str]) -> U32:
    """The shingles of one text's words (`tokens.normal_words`); see `shingles_of`."""
    return shingles_of(" ".join(normal_words), (0, len(normal_words)))[0]
