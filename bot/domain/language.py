"""Language of an article: English, Russian or Kazakh.

The script decides between two pairs: Cyrillic text is Russian or Kazakh, Latin text is English
or Kazakh written in Latin letters (Qaraǵandy oblysynda, bıyl; bot/domain/kazakh_latin.py).
Within a pair no single letter decides: a Russian text quotes Kazakh names (Қарағанды), a Kazakh
text borrows Russian words (экономика, программа), an English text quotes Latin Kazakh names
(Öskemen). So every word votes: frequent function words vote strongly, letters only one language
has and typical endings vote weakly, and the larger total wins.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Final

from bot.domain.kazakh_latin import KAZAKH_LATIN_LETTERS, latin_spellings
from bot.domain.taxonomy import Language
from bot.domain.tokens import LETTERS as _WORD
from bot.domain.tokens import Memo

# A 400-word article is decided long before its end; reading a prefix keeps the cost flat.
_PREFIX_CHARS: Final = 600
_URL: Final = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+")

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
_EN_WORDS: Final = frozenset(
    _split(
        """the of and in to a is for on with by was from at that will has have are be this it as
    an its which were said also more than their after new been per had not or can into"""
    )
)
# Kazakh function words in Latin letters, but none that is an English word too (мен → men).
_KK_LATIN_WORDS: Final = (
    frozenset(
        spelling
        for word in _KK_WORDS
        for spelling in latin_spellings(word)
        if len(spelling) > 2 and spelling not in _split("men ben pen bar sol")
    )
    - _EN_WORDS
)
# Endings of Latin Kazakh words that no English word has (not -lary: salary, nor -tary).
_KK_LATIN_ENDINGS: Final = tuple(_split("ynda ynan ymen synda synan lardy lerdi lyq dyq tyq"))


# Votes are counted in tenths, so sums are exact whatever their order.
_FUNCTION_VOTE: Final = 30
_LETTER_VOTE: Final = 10
_NAME_LETTER_VOTE: Final = 4
_ENDING_VOTE: Final = 10
_MEMO_LIMIT: Final = 100_000


# A word's tallies are packed into one int, a bit field each, so the totals of a text are one
# `sum` of memo values at C speed. No field carries into the next: a sample has at most 600
# characters (a URL replaced by a space only shortens it), so at most 300 words, as two words are
# parted by a non-letter; lower() makes at most three characters of one, so letters
# <= 3 * 600 = 1,800 < 2**11; a word gives a language at most 30 + 10 + 10 = 50 votes, so votes
# <= 300 * 50 = 15,000 < 2**14; words of two letters or more not in capitals <= 300 < 2**9.
# The fields end below bit 59, so the sums stay machine-sized ints (`sum` adds those fastest).
# Latin words vote English or Kazakh apart, in two fields of their own, and only when the text
# is mostly Latin: the votes of Cyrillic words say nothing there.
_LETTER_BITS: Final = 11
_VOTE_BITS: Final = 14
_LATIN: Final = 1
_CYRILLIC: Final = _LATIN << _LETTER_BITS
_RU: Final = _CYRILLIC << _LETTER_BITS
_KK: Final = _RU << _VOTE_BITS
_NOT_CAPS: Final = _KK << _VOTE_BITS
_EN: Final = 1
_KK_LATIN: Final = _EN << _VOTE_BITS

_FUNCTION_VOTES: Final = {word: _FUNCTION_VOTE * _RU for word in _RU_WORDS} | {
    word: _FUNCTION_VOTE * _KK for word in _KK_WORDS
}
_LATIN_FUNCTION_VOTES: Final = {word: _FUNCTION_VOTE * _EN for word in _EN_WORDS} | {
    word: _FUNCTION_VOTE * _KK_LATIN for word in _KK_LATIN_WORDS
}
_KK_LETTER: Final = re.compile(f"[{''.join(sorted(_KK_LETTERS))}]")
_RU_LETTER: Final = re.compile(f"[{''.join(sorted(_RU_LETTERS))}]")
# Endings by a word's last letters (as many as the shortest ending has): one lookup rules most
# words out.
_TAIL: Final = min(map(len, _RU_ENDINGS + _KK_ENDINGS))
_ENDINGS_BY_TAIL: Final = {
    tail: (
        tuple(ending for ending in _RU_ENDINGS if ending.endswith(tail)),
        tuple(ending for ending in _KK_ENDINGS if ending.endswith(tail)),
    )
    for tail in {ending[-_TAIL:] for ending in _RU_ENDINGS + _KK_ENDINGS}
}


def _votes(word: str, all_caps: bool) -> int:
    """The packed tallies of one word as written (not lower-cased); `all_caps`: the text shouts."""
    votes = _NOT_CAPS if len(word) > 1 and not word.isupper() else 0
    low = word.lower()
    first = low[0]
    if first < "\u0250":
        return votes + len(low) * _LATIN
    if not "\u0400" <= first <= "\u04ff":
        return votes
    votes += len(low) * _CYRILLIC + _FUNCTION_VOTES.get(low, 0)
    # A capitalised word inside a sentence is often a quoted name, not the text's language.
    is_name = word[0].isupper() and not all_caps
    if _KK_LETTER.search(low):
        votes += (_NAME_LETTER_VOTE if is_name else _LETTER_VOTE) * _KK
    elif _RU_LETTER.search(low):
        votes += _LETTER_VOTE * _RU
    if not is_name and len(low) > 4 and (endings := _ENDINGS_BY_TAIL.get(low[-_TAIL:])):
        if low.endswith(endings[0]):
            votes += _ENDING_VOTE * _RU
        elif low.endswith(endings[1]):
            votes += _ENDING_VOTE * _KK
    return votes


def _latin_votes(word: str) -> int:
    """The packed English and Latin Kazakh votes of a Latin word as written."""
    low = word.lower()
    is_name = word[0].isupper()  # in a text all in capitals, function words still decide
    votes = _LATIN_FUNCTION_VOTES.get(low, 0)
    if not KAZAKH_LATIN_LETTERS.isdisjoint(low):
        votes += (_NAME_LETTER_VOTE if is_name else _LETTER_VOTE) * _KK_LATIN
    if not is_name and len(low) > 4 and low.endswith(_KK_LATIN_ENDINGS):
        votes += _ENDING_VOTE * _KK_LATIN
    return votes


def _token_votes(token: str) -> int:
    """The packed tallies of the words in a whitespace-separated token of a text not shouting."""
    if token.isalpha():  # one word: letters are all in `_WORD`
        return _votes(token, False)
    if token.isdecimal():  # a figure: decimal digits are all outside `_WORD`
        return 0
    return sum(_votes(word, False) for word in _WORD.findall(token))


def _latin_token_votes(token: str) -> int:
    """The packed English and Latin Kazakh votes of the Latin words in a token."""
    return sum(_latin_votes(word) for word in _WORD.findall(token) if word[0] < "\u0250")


# Keyed by whitespace-separated tokens: str.split() is several times cheaper than `_WORD`.
_MIXED: Final[Memo[str, int]] = Memo(_token_votes, _MEMO_LIMIT)
_LATIN_MIXED: Final[Memo[str, int]] = Memo(_latin_token_votes, _MEMO_LIMIT)
# Keyed by words of `_WORD`; only texts all in capitals get here.
_SHOUTED: Final[Memo[str, int]] = Memo(partial(_votes, all_caps=True), _MEMO_LIMIT)


def detect_language(text: str, *, default: Language = "en") -> Language:
    """The language of a text; `default` when it has no letters at all."""
    sample = text[:_PREFIX_CHARS]
    if "http" in sample or "www." in sample or "@" in sample:
        sample = _URL.sub(" ", sample)
    # An O(1) test. ASCII words are all Latin, and Latin Kazakh without a single ı, á, ǵ, ń, ó,
    # ú or ý in 600 characters is not seen: such text is English.
    if sample.isascii():
        return "en" if _WORD.search(sample) else default
    # Whitespace, full stops and commas never stand inside a word, so the tokens hold the words
    # of `_WORD` in order; parting "году." and "году," from "году" saves memo entries.
    tokens = sample.replace(".", " ").replace(",", " ").split()
    total = sum(map(_MIXED.__getitem__, tokens))
    latin = total % _CYRILLIC
    cyrillic = total // _CYRILLIC % (_RU // _CYRILLIC)
    if latin == 0 and cyrillic == 0:
        return default
    if latin > cyrillic:
        votes = sum(map(_LATIN_MIXED.__getitem__, tokens))
        return "kk" if votes // _KK_LATIN > votes % _KK_LATIN else "en"
    if total < _NOT_CAPS:
        # Every word of two letters or more is in capitals, so capitals mark no names; the
        # letters do not depend on that, only the votes.
        total = sum(map(_SHOUTED.__getitem__, _WORD.findall(sample)))
    ru = total // _RU % (_KK // _RU)
    kk = total // _KK % (_NOT_CAPS // _KK)
    return "kk" if kk > ru else "ru"
