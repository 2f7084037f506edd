"""The shingles of a text for near-duplicate detection: hashed word stems.

Signatures are stored and Python's own `hash` is salted per process, so stems are hashed with
BLAKE2b. The words are those of bot.domain.tokens, the ones the topic tagger reads too, so an
article is split once; each distinct word's shingles are worked out once and remembered.
"""

from __future__ import annotations

from collections.abc import Iterable
from hashlib import blake2b
from itertools import chain
from typing import Final

import numpy as np
import numpy.typing as npt

from bot.domain.tokens import Memo, words

U32 = npt.NDArray[np.uint32]

STEM_CHARS: Final = 5
_MEMO_LIMIT: Final = 200_000

NUMBER_WEIGHT: Final = 3

# Words too frequent to tell one story from another (en, ru, kk): words every story of a
# publisher shares: function words, and the officialese of press releases
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

_STOP_STEMS: Final = frozenset(word[:STEM_CHARS] for word in words(_STOPWORDS))


def _hash(text: str) -> int:
    """A 32-bit hash that every process and release computes alike."""
    return int.from_bytes(blake2b(text.encode("utf-8"), digest_size=4).digest(), "little")


def word_shingles(word: str) -> tuple[int, ...]:
    """The shingles a normalised word adds: none, its stem's hash, or `NUMBER_WEIGHT` of them.

    Stopwords and one-letter words add none. Cutting words to a stem lets inflected forms meet
    (больница, больницы; облысында, облысы), which a rewording changes freely. Numbers (years
    excepted, as stopwords) are what a retelling keeps and another story of the same publisher
    lacks, so each counts as `NUMBER_WEIGHT` distinct shingles.
    """
    stem = word[:STEM_CHARS]
    if len(word) < 2 or stem in _STOP_STEMS:
        return ()
    if "0" <= word[0] <= "9":
        return tuple(_hash(f"{stem}#{k}") for k in range(NUMBER_WEIGHT))
    return (_hash(stem),)


_SHINGLES: Final[Memo[str, tuple[int, ...]]] = Memo(word_shingles, _MEMO_LIMIT)


def content_shingles(normalised_words: Iterable[str]) -> U32:
    """The shingles of a text's words (as `tokens.words` gives them), in text order."""
    hashes = chain.from_iterable(map(_SHINGLES.__getitem__, normalised_words))
    return np.fromiter(hashes, dtype=np.uint32)
