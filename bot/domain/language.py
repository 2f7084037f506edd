"""Language of an article: English, Russian or Kazakh.

Latin script means English. Between Russian and Kazakh no single letter decides: a Russian text
quotes Kazakh names (Қарағанды) and a Kazakh text borrows Russian words (экономика, программа).
So every word votes: frequent function words vote strongly, letters only Kazakh has and typical
endings vote weakly, and the larger total wins.
"""

from __future__ import annotations

import re
from typing import Final

from bot.domain.taxonomy import Language

# A 400-word article is decided long before its end; reading a prefix keeps the cost flat.
_PREFIX_CHARS: Final = 600
_URL: Final = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+")
_WORD: Final = re.compile(r"[^\W\d_]+")

_KK_LETTERS: Final = frozenset("әғқңөұүһі")
# Letters of Russian that Kazakh spells only in rare loanwords.
_RU_LETTERS: Final = frozenset("ёъщ")

_FUNCTION_WEIGHT: Final = 3.0
_LETTER_WEIGHT: Final = 1.0
_NAME_LETTER_WEIGHT: Final = 0.4
_ENDING_WEIGHT: Final = 1.0


def _split(text: str) -> tuple[str, ...]:
    """Word lists are written as plain text, so they read like a dictionary page."""
    return tuple(text.split())


_RU_WORDS: Final = frozenset(
    _split(
        """и в на что по с не для из от о к это как а также за при до у же так его ее её их
    который которая которые которых были был была было будет будут года году области района
    города более между после со во об или но только уже все всех этом этого этой том чем где
    когда тем сегодня рамках числе под над через ходе перед данный ряд около свыше является"""
    )
)
_KK_WORDS: Final = frozenset(
    _split(
        """және мен бен пен бойынша жылы үшін бұл осы ол оның арқылы туралы қатысты деп болып тиіс
    бар жоқ облысы облысының облысында облыстық ауданы ауданында ауданының қаласы қаласында
    қаласының жыл сондай ақ да де та те керек кейін дейін бері соң бірге жүзеге шеңберінде
    сәйкес еді екен болды болады қазіргі барлық біз сіз жаңа көп аса атап өтті жұмыс ретінде
    мұнда сол олар оған одан тағы немесе бірақ әрі бүгін жылдың айында сайын кезінде тарапынан
    мақсатында нәтижесінде қатысуымен"""
    )
)
# Endings without Kazakh letters, so they still vote on loanwords and all-caps titles.
_RU_ENDINGS: Final = _split(
    """ого его ому ему ыми ими ией ать ять ить ется ются ение ения ости
    ский ская ское ских ской ный ная ное ных ную ции ций"""
)
_KK_ENDINGS: Final = _split(
    """лары лардың лардан ларды ларын дары тары ында ынан ына ымен сына сында сынан
    мыз ңыз лды рды нды тты"""
)


def _script_counts(words: list[str]) -> tuple[int, int]:
    """Letters in Latin and in Cyrillic words."""
    latin = cyrillic = 0
    for word in words:
        if word[0] < "\u0250":
            latin += len(word)
        elif "\u0400" <= word[0] <= "\u04ff":
            cyrillic += len(word)
    return latin, cyrillic


def _cyrillic_scores(words: list[str], original: list[str]) -> tuple[float, float]:
    """Votes for Russian and Kazakh from Cyrillic words (lower-cased, with their originals)."""
    ru = kk = 0.0
    all_caps = all(word.isupper() for word in original if len(word) > 1)
    for word, raw in zip(words, original, strict=True):
        if not "\u0400" <= word[0] <= "\u04ff":
            continue
        if word in _KK_WORDS:
            kk += _FUNCTION_WEIGHT
        elif word in _RU_WORDS:
            ru += _FUNCTION_WEIGHT
        # A capitalised word inside a sentence is often a quoted name, not the text's language.
        is_name = raw[0].isupper() and not all_caps
        if not _KK_LETTERS.isdisjoint(word):
            kk += _NAME_LETTER_WEIGHT if is_name else _LETTER_WEIGHT
        elif not _RU_LETTERS.isdisjoint(word):
            ru += _LETTER_WEIGHT
        if is_name or len(word) <= 4:
            continue
        if word.endswith(_RU_ENDINGS):
            ru += _ENDING_WEIGHT
        elif word.endswith(_KK_ENDINGS):
            kk += _ENDING_WEIGHT
    return ru, kk


def detect_language(text: str, *, default: Language = "en") -> Language:
    """The language of a text; `default` when it has no letters at all."""
    sample = text[:_PREFIX_CHARS]
    if "http" in sample or "www." in sample or "@" in sample:
        sample = _URL.sub(" ", sample)
    original = _WORD.findall(sample)
    if not original:
        return default
    words = [word.lower() for word in original]
    latin, cyrillic = _script_counts(words)
    if latin == 0 and cyrillic == 0:
        return default
    if latin > cyrillic:
        return "en"
    ru, kk = _cyrillic_scores(words, original)
    return "kk" if kk > ru else "ru"
