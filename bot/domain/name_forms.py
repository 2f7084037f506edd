"""Inflected forms of place-name words: a stem plus the endings Russian and Kazakh may add.

A general stemmer would ruin short names (Arys, Nura, Oral), so every gazetteer word gets its own
stem and a closed set of endings chosen by its last letters. Latin words match exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from bot.domain.tokens import is_cyrillic

_VOWELS: Final = frozenset("аеёиоуыэюяәөұүі")


def _words(text: str) -> list[str]:
    return text.split()


# Kazakh case endings in every harmonic variant; over-generating is harmless: non-words never occur.
_KK_CASE: Final = _words(
    "да де та те нда нде ға ге қа ке на не а е дан ден тан тен нан нен "
    "ның нің дың дің тың тің ны ні ды ді ты ті н мен бен пен дағы дегі тағы тегі ндағы ндегі"
)
_KK_DEMONYM: Final = ["лық", "лік", "дық", "дік", "тық", "тік"]
_KK_PLURAL: Final = ["лар", "лер", "дар", "дер", "тар", "тер"]
_KK_AFTER_POSSESSIVE: Final = _words("нда нде на не нан нен ның нің н мен ндағы ндегі")

KK_ENDINGS: Final[frozenset[str]] = frozenset(
    [""]
    + _KK_CASE
    + _KK_DEMONYM
    + [d + p for d in _KK_DEMONYM for p in _KK_PLURAL]
    + _KK_PLURAL
    + [p + c for p in ("ы", "і", "сы", "сі") for c in ["", *_KK_AFTER_POSSESSIVE]]
)
# Russian noun endings after a consonant (Шымкента, Уральске) and after a dropped -а (Караганде),
# demonyms included (павлодарцы, карагандинцев).
_RU_CONSONANT: Final = frozenset(
    ["а", "у", "е", "ом", "ым", "ем", "ы", "ов", "ам", "ами", "ах", "цы", "цев", "цам", "цами"]
)
_RU_DEMONYM_INTS: Final = frozenset(["инцы", "инцев", "инцам", "инцами"])
_RU_AFTER_A: Final = (
    frozenset(["а", "ы", "и", "е", "у", "ю", "ой", "ою", "ей", "ею", "я"]) | _RU_DEMONYM_INTS
)
_RU_ADJECTIVE: Final = frozenset(
    _words("ая яя ой ей ую юю ий ый ого его ому ему ом ем ым им ое ее ие ые их ых ими ыми")
)
_ADJECTIVE_TAILS: Final = frozenset(["ая", "яя", "ий", "ый", "ое", "ее", "ие", "ые"])


def _prefixed(prefix: str, endings: frozenset[str]) -> frozenset[str]:
    return frozenset(prefix + ending for ending in endings)


# Generic words of place names whose forms the rules below would get wrong.
_IRREGULAR: Final[dict[str, tuple[str, frozenset[str]]]] = {
    "область": ("обл", frozenset(["", "асть", "асти", "астью", "астей", "астям", "астях"])),
    "облысы": ("облыс", KK_ENDINGS | _prefixed("ы", KK_ENDINGS)),
    "ауданы": ("аудан", KK_ENDINGS | _prefixed("ы", KK_ENDINGS)),
    "қаласы": ("қала", KK_ENDINGS | _prefixed("сы", KK_ENDINGS)),
    "ауылы": ("ауыл", KK_ENDINGS | _prefixed("ы", KK_ENDINGS)),
    "region": ("region", frozenset(["", "s"])),
    "district": ("district", frozenset(["", "s"])),
    "oblast": ("oblast", frozenset(["", "s"])),
}


@dataclass(frozen=True, slots=True)
class WordForm:
    """One word of a name: the token must be `stem` followed by one of `endings`."""

    stem: str
    endings: frozenset[str]
    adjective: bool = False

    def matches(self, token: str) -> bool:
        """Whether a normalised token is a form of this word."""
        return token.startswith(self.stem) and token[len(self.stem) :] in self.endings


NameKind = Literal["region", "place", "weak", "national", "regional", "blocked"]


@dataclass(frozen=True, slots=True)
class Name:
    """One gazetteer name: its words' forms, the region it names (None: no region) and its kind.

    `capital`: counts only when written with a capital letter (a one-word proper name: "шалқар"
    is an adjective, "Шалқар" a town). `cased`: a common word as well (Oral, Нура), so it counts
    only when capitalised somewhere other than at a sentence start.
    """

    text: str
    slug: str | None
    kind: NameKind
    capital: bool
    cased: bool
    forms: tuple[WordForm, ...]


def word_form(word: str) -> WordForm:
    """The stem and endings of one normalised (lower-case, ё-folded) name word."""
    if word in _IRREGULAR:
        stem, endings = _IRREGULAR[word]
        return WordForm(stem, endings)
    if not is_cyrillic(word):
        return WordForm(word, frozenset([""]))
    if len(word) < 3:
        return WordForm(word, KK_ENDINGS)
    last = word[-1]
    if len(word) >= 6 and word[-2:] in _ADJECTIVE_TAILS:
        return WordForm(word[:-2], _RU_ADJECTIVE, adjective=True)
    if last in "ая":
        return WordForm(word[:-1], _RU_AFTER_A | _prefixed(last, KK_ENDINGS))
    if last == "й":
        russian = frozenset(["й", "я", "ю", "е", "ем", "йцы", "йцев", "йцам"])
        return WordForm(word[:-1], russian | _prefixed("й", KK_ENDINGS))
    if last == "ь":
        return WordForm(word[:-1], frozenset(["ь", "и", "ю", "ью", "я", "е", "ем"]))
    if last == "ы":
        return WordForm(word[:-1], _prefixed("ы", KK_ENDINGS) | _RU_DEMONYM_INTS)
    if last in _VOWELS:
        return WordForm(word, KK_ENDINGS)
    return WordForm(word, KK_ENDINGS | _RU_CONSONANT)


def russian_adjective(word: str) -> str | None:
    """The Russian adjective of a Cyrillic place name (Келес → келесский, Шардара → шардаринский).

    None for words that are adjectives already, are short, or end in -ск (Уральск → уральский
    would also mean "of the Urals").
    """
    if len(word) < 4 or not is_cyrillic(word) or word.endswith("ск"):
        return None
    if word[-2:] in _ADJECTIVE_TAILS:
        return None
    last = word[-1]
    if last in "аяы":
        return word[:-1] + "инский"
    if last in "йуь" or last not in _VOWELS:
        return word + "ский"
    return None


MAX_ENDING: Final[int] = max(
    len(ending)
    for endings in [
        KK_ENDINGS,
        _RU_CONSONANT,
        _RU_AFTER_A | _prefixed("а", KK_ENDINGS),
        _RU_ADJECTIVE,
        *(endings for _stem, endings in _IRREGULAR.values()),
    ]
    for ending in endings
)
