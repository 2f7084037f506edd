"""Language of an article: English, Russian or Kazakh.

Latin script means English. Between Russian and Kazakh no single letter decides: a Russian text
quotes Kazakh names (Қарағанды) and a Kazakh text borrows Russian words (экономика, программа).
So every word votes: frequent function words vote strongly, letters only Kazakh has and typical
endings vote weakly, and the larger total wins.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Final, NamedTuple

from bot.domain.taxonomy import Language
from bot.domain.tokens import Memo

# A 400-word article is decided long before its end; reading a prefix keeps the cost flat.
_PREFIX_CHARS: Final = 600
_URL: Final = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+")
_WORD: Final = re.compile(r"[^\W\d_]+")

_KK_LETTERS: Final = frozenset("әғқңөұүһі")
# Letters of Russian that Kazakh spells only in rare loanwords.
_RU_LETTERS: Final = frozenset("ёъщ")


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


# Votes are counted in tenths, so sums are exact whatever their order.
_FUNCTION_VOTE: Final = 30
_LETTER_VOTE: Final = 10
_NAME_LETTER_VOTE: Final = 4
_ENDING_VOTE: Final = 10
_MEMO_LIMIT: Final = 100_000


class _Votes(NamedTuple):
    """What one word as written adds: letters in Latin and in Cyrillic, votes for ru and kk."""

    latin: int
    cyrillic: int
    ru: int
    kk: int


def _votes(word: str, *, all_caps: bool) -> _Votes:
    """The votes of one word as written (not lower-cased); `all_caps`: the text shouts."""
    low = word.lower()
    first = low[0]
    if first < "\u0250":
        return _Votes(len(low), 0, 0, 0)
    if not "\u0400" <= first <= "\u04ff":
        return _Votes(0, 0, 0, 0)
    ru = kk = 0
    if low in _KK_WORDS:
        kk += _FUNCTION_VOTE
    elif low in _RU_WORDS:
        ru += _FUNCTION_VOTE
    # A capitalised word inside a sentence is often a quoted name, not the text's language.
    is_name = word[0].isupper() and not all_caps
    if not _KK_LETTERS.isdisjoint(low):
        kk += _NAME_LETTER_VOTE if is_name else _LETTER_VOTE
    elif not _RU_LETTERS.isdisjoint(low):
        ru += _LETTER_VOTE
    if not is_name and len(low) > 4:
        if low.endswith(_RU_ENDINGS):
            ru += _ENDING_VOTE
        elif low.endswith(_KK_ENDINGS):
            kk += _ENDING_VOTE
    return _Votes(0, len(low), ru, kk)


_MIXED: Final[Memo[str, _Votes]] = Memo(partial(_votes, all_caps=False), _MEMO_LIMIT)
_SHOUTED: Final[Memo[str, _Votes]] = Memo(partial(_votes, all_caps=True), _MEMO_LIMIT)


def detect_language(text: str, *, default: Language = "en") -> Language:
    """The language of a text; `default` when it has no letters at all."""
    sample = text[:_PREFIX_CHARS]
    if "http" in sample or "www." in sample or "@" in sample:
        sample = _URL.sub(" ", sample)
    original = _WORD.findall(sample)
    if not original:
        return default
    all_caps = all(word.isupper() for word in original if len(word) > 1)
    votes = list(map((_SHOUTED if all_caps else _MIXED).__getitem__, original))
    latin, cyrillic, ru, kk = map(sum, zip(*votes, strict=True))
    if latin == 0 and cyrillic == 0:
        return default
    if latin > cyrillic:
        return "en"
    return "kk" if kk > ru else "ru"
