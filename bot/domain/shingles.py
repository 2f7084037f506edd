"""The shingles of a text for near-duplicate detection: hashed word stems, via numpy.

Python's own `hash` is salted per process, and signatures are stored, so words are hashed here
with a fixed polynomial over code points followed by the splitmix64 finaliser. All arithmetic is
on uint64 arrays, which wrap silently (scalar numpy arithmetic would warn on overflow).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]

MAX_CHARS: Final = 20_000
_POWERS_SIZE: Final = MAX_CHARS + 2
STEM_CHARS: Final = 5

_BASE: Final = 0x100000001B3
_POWERS: Final[U64] = np.cumprod(np.full(_POWERS_SIZE, _BASE, dtype=np.uint64), dtype=np.uint64)
_INVERSE_POWERS: Final[U64] = np.cumprod(
    np.full(_POWERS_SIZE, pow(_BASE, -1, 1 << 64), dtype=np.uint64), dtype=np.uint64
)
_MIX1: Final = np.uint64(0xBF58476D1CE4E5B9)
_MIX2: Final = np.uint64(0x94D049BB133111EB)

# Words too frequent to tell one story from another (en, ru, kk).
NUMBER_WEIGHT: Final = 3
_NUMBER_SALTS: Final = tuple(np.uint64(0x5851F42D4C957F2D * k) for k in range(1, NUMBER_WEIGHT))
_DIGIT_NINE: Final = ord("9")

# Words every story of a publisher shares: function words, and the officialese of press releases
# (meetings, instructions, plans, amounts). Compared by stem, so one form stands for all.
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


def _word_letter_table() -> U64:
    """Code point -> its lower-case form for letters and digits, 0 for everything else.

    Folding case (and ё to е) through this table spares a pass of `str.lower` over the text.
    """
    table = np.zeros(_TABLE_SIZE, dtype=np.uint64)
    for point in range(_TABLE_SIZE):
        lower = chr(point).lower()
        if chr(point).isalnum() and len(lower) == 1:
            table[point] = ord(lower)
    table[ord("ё")] = table[ord("Ё")] = ord("е")
    return table


# Beyond Cyrillic (U+0500 on) nothing is a word letter here: en, ru and kk need no other script.
_TABLE_SIZE: Final = 0x500
_WORD_LETTERS: Final[U64] = _word_letter_table()


def _letters(text: str) -> U64:
    """Lower-cased code points of the text with everything but word letters set to 0."""
    points = np.frombuffer(f" {text[:MAX_CHARS]} ".encode("utf-32-le"), dtype=np.uint32)
    return np.take(_WORD_LETTERS, points, mode="clip")


def _mix(values: U64) -> U64:
    """splitmix64 finaliser: spreads the polynomial's low-entropy bits over all 64."""
    values = values ^ (values >> np.uint64(30))
    values = values * _MIX1
    values = values ^ (values >> np.uint64(27))
    values = values * _MIX2
    return values ^ (values >> np.uint64(31))


def _spans(text: str) -> tuple[U64, U64, npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Letters, prefix sums of letter*B**(position+1), and where each word starts and ends."""
    letters = _letters(text)  # padded with a space at each end, so every word has both edges
    is_word = letters != 0
    starts = np.flatnonzero(is_word[1:] & ~is_word[:-1]) + 1
    ends = np.flatnonzero(is_word[:-1] & ~is_word[1:]) + 1
    prefix = np.cumsum(letters * _POWERS[: len(letters)], dtype=np.uint64)
    return letters, prefix, starts, ends


def _hash_spans(prefix: U64, starts: npt.NDArray[np.intp], ends: npt.NDArray[np.intp]) -> U64:
    # prefix[end - 1] - prefix[start - 1] sums the span's letters times B**(position + 1).
    raw: U64 = (prefix[ends - 1] - prefix[starts - 1]) * _INVERSE_POWERS[starts]
    return raw


def word_hashes(text: str) -> U64:
    """One hash per word (a run of digits, Latin or Cyrillic letters), in text order.

    These are raw polynomial hashes, good for equality; mix them before MinHash.
    """
    _, prefix, starts, ends = _spans(text)
    return _hash_spans(prefix, starts, ends)


def _stem_hashes(prefix: U64, starts: npt.NDArray[np.intp], ends: npt.NDArray[np.intp]) -> U64:
    return _hash_spans(prefix, starts, np.minimum(ends, starts + STEM_CHARS))


def _stopword_stems() -> U64:
    _, prefix, starts, ends = _spans(_STOPWORDS)
    return np.unique(_stem_hashes(prefix, starts, ends))


_STOPWORD_HASHES: Final[U64] = _stopword_stems()


def _is_stopword(hashes: U64) -> npt.NDArray[np.bool_]:
    found = np.searchsorted(_STOPWORD_HASHES, hashes)
    is_stopword: npt.NDArray[np.bool_] = (
        _STOPWORD_HASHES[np.minimum(found, len(_STOPWORD_HASHES) - 1)] == hashes
    )
    return is_stopword


def content_stems(text: str) -> U64:
    """Mixed hashes of the first `STEM_CHARS` letters of every content word, in text order.

    Stopwords and one-letter words are left out. Cutting words to a stem lets inflected forms
    meet (больница, больницы; облысында, облысы), which a rewording changes freely. Numbers
    (years excepted, as stopwords) are what a retelling keeps and another story of the same
    publisher lacks, so each counts `NUMBER_WEIGHT` times, as that many distinct shingles.
    """
    letters, prefix, starts, ends = _spans(text)
    stems = _stem_hashes(prefix, starts, ends)
    keep = ((ends - starts) > 1) & ~_is_stopword(stems)
    stems = _mix(stems[keep])
    numbers = stems[letters[starts[keep]] <= _DIGIT_NINE]
    extra = [_mix(numbers ^ salt) for salt in _NUMBER_SALTS]
    return np.concatenate((stems, *extra)) if len(numbers) else stems
