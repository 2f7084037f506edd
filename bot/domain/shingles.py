"""The shingles of a text for near-duplicate detection: hashed word stems, via numpy.

Python's own `hash` is salted per process, and signatures are stored, so stems are hashed with a
fixed polynomial over code points followed by the splitmix64 finaliser. The words are those of
bot.domain.tokens (which the topic tagger reads too), so an article is tokenised once; numpy
cuts them to stems and hashes them all at once. All arithmetic is on uint64 arrays, which wrap
silently (scalar numpy arithmetic would warn on overflow).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from bot.domain.tokens import words

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]

STEM_CHARS: Final = 5
NUMBER_WEIGHT: Final = 3
_STEM: Final = f"<U{STEM_CHARS}"  # numpy cuts longer strings to this many code points
_BASE: Final = 0x100000001B3
_POWERS: Final[U64] = np.array([pow(_BASE, k, 1 << 64) for k in range(STEM_CHARS)], np.uint64)
_MIX1: Final = np.uint64(0xBF58476D1CE4E5B9)
_MIX2: Final = np.uint64(0x94D049BB133111EB)
_NUMBER_SALTS: Final = tuple(np.uint64(0x5851F42D4C957F2D * k) for k in range(1, NUMBER_WEIGHT))
_NO_STEMS: Final[U32] = np.zeros(0, dtype=np.uint32)

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


def _mix(values: U64) -> U64:
    """splitmix64 finaliser: spreads the polynomial's low-entropy bits over all 64."""
    values = values ^ (values >> np.uint64(30))
    values = values * _MIX1
    values = values ^ (values >> np.uint64(27))
    values = values * _MIX2
    return values ^ (values >> np.uint64(31))


def _fold(values: U64) -> U32:
    return (values ^ (values >> np.uint64(32))).astype(np.uint32)


def _stems(normalised_words: Sequence[str]) -> tuple[U64, npt.NDArray[np.bool_], U64]:
    """Raw stem hashes, which words are numbers, and the code points of each stem (0-padded)."""
    points = np.array(normalised_words, dtype=_STEM).view(np.uint32).reshape(-1, STEM_CHARS)
    wide = points.astype(np.uint64)
    hashes: U64 = wide @ _POWERS
    digit = points[:, 0]
    is_number: npt.NDArray[np.bool_] = (digit >= ord("0")) & (digit <= ord("9"))
    return hashes, is_number, wide


_STOP_HASHES: Final[U64] = np.unique(_stems(words(_STOPWORDS))[0])


def content_shingles(normalised_words: Sequence[str]) -> U32:
    """32-bit shingles of a text's words (as `tokens.words` gives them), in text order.

    Each content word gives the hash of its first `STEM_CHARS` letters; stopwords and one-letter
    words give none. Cutting words to a stem lets inflected forms meet (больница, больницы;
    облысында, облысы), which a rewording changes freely. Numbers (years excepted, as
    stopwords) are what a retelling keeps and another story of the same publisher lacks, so each
    counts `NUMBER_WEIGHT` times, as that many distinct shingles.
    """
    if not normalised_words:
        return _NO_STEMS
    hashes, is_number, points = _stems(normalised_words)
    found = np.minimum(np.searchsorted(_STOP_HASHES, hashes), len(_STOP_HASHES) - 1)
    keep = (points[:, 1] != 0) & (_STOP_HASHES[found] != hashes)
    stems = _mix(hashes[keep])
    numbers = stems[is_number[keep]]
    if len(numbers):
        stems = np.concatenate((stems, *(_mix(numbers ^ salt) for salt in _NUMBER_SALTS)))
    return _fold(stems)
