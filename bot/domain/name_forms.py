"""Inflected forms of place-name words: a stem plus the endings Russian and Kazakh may add.

A general stemmer would ruin short names (Arys, Nura, Oral), so every gazetteer word gets its own
stem and a closed set of endings chosen by its last letters. Latin words take the Kazakh endings
written in Latin letters (Shymkentte, Qaraǵandy oblysynda), as Kazakh is also written so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Final, Literal

from bot.domain.kazakh_latin import LATIN_ALPHABETS, latin_spellings, write_latin
from bot.domain.tokens import WORD, is_cyrillic, normalise

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
# The same endings in Latin letters, in every alphabet. One-letter endings are left out: Kazakh
# names do not take them, and in English they would turn names into words (Alga → Algae).
_LATIN_KK: Final = frozenset(
    spelling for ending in KK_ENDINGS for spelling in latin_spellings(ending) if len(spelling) != 1
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
_RU_NEUTER: Final = frozenset(["о", "а", "у", "ом", "е"])
_RU_ADJECTIVE: Final = frozenset(
    _words("ая яя ой ей ую юю ий ый ого его ому ему ом ем ым им ое ее ие ые их ых ими ыми")
)
_ADJECTIVE_TAILS: Final = frozenset(["ая", "яя", "ий", "ый", "ое", "ее", "ие", "ые"])


def _prefixed(prefix: str, endings: frozenset[str]) -> frozenset[str]:
    return frozenset(prefix + ending for ending in endings)


def _plural(affix: str) -> frozenset[str]:
    """A plural and its possessive forms: "Түркістан, Жамбыл және Алматы облыстарында"."""
    return _prefixed(affix, frozenset(["", "ы", *_prefixed("ы", frozenset(_KK_AFTER_POSSESSIVE))]))


# Kazakh generic words of place names: possessive (Алматы облысы), plural (облыстары), in any case.
_KAZAKH_GENERIC: Final[dict[str, tuple[str, frozenset[str]]]] = {
    "облысы": ("облыс", KK_ENDINGS | _prefixed("ы", KK_ENDINGS) | _plural("тар")),
    "ауданы": ("аудан", KK_ENDINGS | _prefixed("ы", KK_ENDINGS) | _plural("дар")),
    "қаласы": ("қала", KK_ENDINGS | _prefixed("сы", KK_ENDINGS) | _plural("лар")),
    "ауылы": ("ауыл", KK_ENDINGS | _prefixed("ы", KK_ENDINGS) | _plural("дар")),
}


def _in_latin_letters(
    generic: dict[str, tuple[str, frozenset[str]]],
) -> dict[str, tuple[str, frozenset[str]]]:
    """The Kazakh generic words in every Latin alphabet, with their endings spelled alike."""
    out: dict[str, tuple[str, frozenset[str]]] = {}
    for word, (stem, endings) in generic.items():
        for alphabet in LATIN_ALPHABETS:
            latin = write_latin(word, alphabet)
            spelled = frozenset(write_latin(ending, alphabet) for ending in endings)
            known = out.get(latin)  # the acute and plain spellings may be one
            out[latin] = (write_latin(stem, alphabet), spelled | known[1] if known else spelled)
    return out


# Generic words of place names whose forms the rules below would get wrong.
_IRREGULAR: Final[dict[str, tuple[str, frozenset[str]]]] = {
    "область": ("обл", frozenset(["", "асть", "асти", "астью", "астей", "астям", "астях"])),
    **_KAZAKH_GENERIC,
    **_in_latin_letters(_KAZAKH_GENERIC),
    "region": ("region", frozenset(["", "s"])),
    "district": ("district", frozenset(["", "s"])),
    "oblast": ("oblast", frozenset(["", "s"])),
}
# Abbreviations of generic words, as agencies write them in headlines and tight sentences
# ("Karaganda rgn", "Қарағанды обл.", "Qaraǵandy obl."); Russian "обл." is a form of область.
_KK_SHORT: Final = {"облысы": "обл", "ауданы": "ауд"}
_SHORT: Final[dict[str, frozenset[str]]] = {
    "region": frozenset(["rgn"]),
    "oblast": frozenset(["obl"]),
    "district": frozenset(["dist", "distr"]),
    **{word: frozenset([short]) for word, short in _KK_SHORT.items()},
    **{
        latin.lower(): frozenset(latin_spellings(short))
        for word, short in _KK_SHORT.items()
        for latin in latin_spellings(word)
    },
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


@dataclass(frozen=True, slots=True)
class AbbreviatedForm(WordForm):
    """A word that may also be written short ("rgn" for region, "обл" for облысы); a class of
    its own, so the common words pay nothing for the check."""

    short: frozenset[str] = frozenset()

    def matches(self, token: str) -> bool:
        """Whether a normalised token is a form of this word or one of its abbreviations."""
        return token in self.short or WordForm.matches(self, token)


NameKind = Literal["region", "place", "weak", "national", "institution", "regional", "blocked"]


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


@lru_cache(maxsize=16_384)
def name_words(text: str) -> tuple[str, ...]:
    """The normalised words of a name as written in the gazetteer (remembered: building the
    gazetteer asks for each name's words several times)."""
    return tuple(WORD.findall(normalise(text)))


def make_name(
    text: str,
    slug: str | None,
    kind: NameKind,
    *,
    cased: bool = False,
    forms: tuple[WordForm, ...] | None = None,
) -> Name:
    """A gazetteer name; `forms` defaults to the forms of its words."""
    if forms is None:
        words = name_words(text)
        if not words:
            raise ValueError(f"gazetteer name {text!r} has no words")
        forms = tuple(word_form(word) for word in words)
    proper = len(forms) == 1 and text[:1].isupper() and not forms[0].adjective
    capital = cased or (proper and kind in ("region", "place", "weak"))
    return Name(text, slug, kind, capital, cased, forms)


def merged_form(spellings: Sequence[str]) -> WordForm:
    """One form for several spellings of a word (aýdany, audanı, audany): the stem they share
    and the rest of each spelling before its endings, so matching costs no more than for one."""
    return _merged_form(tuple(dict.fromkeys(spellings)))


@cache
def _merged_form(spellings: tuple[str, ...]) -> WordForm:
    """`merged_form` of distinct spellings, made once: many names share their generic words."""
    forms = [word_form(word) for word in spellings]
    if len(forms) == 1:
        return forms[0]
    stem = _shared_start([form.stem for form in forms])
    endings = frozenset(
        form.stem[len(stem) :] + ending for form in forms for ending in form.endings
    )
    short = frozenset().union(*(form.short for form in forms if isinstance(form, AbbreviatedForm)))
    return AbbreviatedForm(stem, endings, short=short) if short else WordForm(stem, endings)


def _shared_start(words: list[str]) -> str:
    first, last = min(words), max(words)  # the sorted extremes share what all share
    size = 0
    while size < len(first) and first[size] == last[size]:
        size += 1
    return first[:size]


def word_form(word: str) -> WordForm:
    """The stem and endings of one normalised (lower-case, ё-folded) name word."""
    form = _regular_form(word)
    short = _SHORT.get(word)
    return (
        form if short is None else AbbreviatedForm(form.stem, form.endings, form.adjective, short)
    )


def _regular_form(word: str) -> WordForm:
    if word in _IRREGULAR:
        stem, endings = _IRREGULAR[word]
        return WordForm(stem, endings)
    if not is_cyrillic(word):
        return WordForm(word, _LATIN_KK)
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
    if last == "о" and len(word) >= 5:  # Russian neuters: Тимирязево → в Тимирязеве
        return WordForm(word[:-1], _RU_NEUTER | _prefixed("о", KK_ENDINGS))
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
        _LATIN_KK,
        _RU_CONSONANT,
        _RU_AFTER_A | _prefixed("а", KK_ENDINGS),
        _RU_ADJECTIVE,
        *(endings for _stem, endings in _IRREGULAR.values()),
    ]
    for ending in endings
)
