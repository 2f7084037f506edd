"""Kazakh written in the Latin alphabet, derived from the Cyrillic spelling.

Agencies have published Kazakh in Latin letters since 2018, mostly in the alphabet with acute
letters (Qaraǵandy oblysynda, Túrkistan, aýdan, Semeı); the 2021 revision uses others
(Qarağandı, Türkistan, Şımkent), and hurried text drops the diacritics (Qaragandy, Turkistan).
The gazetteer and the language detector write each Cyrillic word in all three, so that no
Latin spelling has to be listed by hand.
"""

from __future__ import annotations

from typing import Final

# The alphabet with acute letters (2018): у is ý, ұ is u, ү is ú, и and й are ı, ы is y, і is i.
_ACUTE: Final[dict[str, str]] = {
    "а": "a", "ә": "á", "б": "b", "в": "v", "г": "g", "ғ": "ǵ", "д": "d", "е": "e", "ё": "ıo",
    "ж": "j", "з": "z", "и": "ı", "й": "ı", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n",
    "ң": "ń", "о": "o", "ө": "ó", "п": "p", "р": "r", "с": "s", "т": "t", "у": "ý", "ұ": "u",
    "ү": "ú", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e", "ю": "ıý", "я": "ıa",
}  # fmt: skip
# The 2021 revision: ы is ı, і and и are i, у is u, ұ is ū, ш is ş, ч is ç.
_UMLAUT: Final[dict[str, str]] = _ACUTE | {
    "ә": "ä", "ғ": "ğ", "ё": "io", "и": "i", "й": "i", "ң": "ñ", "ө": "ö", "у": "u", "ұ": "ū",
    "ү": "ü", "ч": "ç", "ш": "ş", "щ": "şş", "ы": "ı", "ю": "iu", "я": "ia",
}  # fmt: skip
_PLAIN: Final = str.maketrans("áǵńóúýıäğñöüūşçÁǴŃÓÚÝÄĞÑÖÜŪŞÇ", "agnouuiagnouuscAGNOUUAGNOUUSC")
# Letters that only Kazakh written in Latin uses (the dotless ı included): a word holding one is
# Kazakh, whatever else the text is.
KAZAKH_LATIN_LETTERS: Final = frozenset("áǵńóúýıäğñöüūş")


LATIN_ALPHABETS: Final = ("acute", "2021", "plain")


def write_latin(text: str, alphabet: str) -> str:
    """A Cyrillic Kazakh text in one of `LATIN_ALPHABETS` (plain: acute without diacritics)."""
    if alphabet == "2021":
        return _write(text, _UMLAUT)
    acute = _write(text, _ACUTE)
    return acute.translate(_PLAIN) if alphabet == "plain" else acute


def _write(text: str, table: dict[str, str]) -> str:
    out: list[str] = []
    for char in text:
        low = char.lower()
        latin = table.get(low)
        if latin is None:
            out.append(char)
            continue
        out.append(latin if char == low else latin[:1].upper() + latin[1:])
    return "".join(out)


def latin_spellings(text: str) -> tuple[str, ...]:
    """A Cyrillic Kazakh text in the acute alphabet, the 2021 one and without diacritics (each
    spelling once, in that order); a text without Cyrillic letters comes back alone."""
    return tuple(dict.fromkeys(write_latin(text, alphabet) for alphabet in LATIN_ALPHABETS))


# A short Latin spelling without any Kazakh letter could be an English word ("su", "jol"):
# such spellings count only from this many letters.
_PLAIN_LATIN_MIN: Final = 6


def lexicon_spellings(entry: str) -> list[str]:
    """The Latin spellings of a Kazakh lexicon entry (topics, alerts) that no English word could
    match: those with a Kazakh letter, or long enough to be Kazakh only."""
    return [
        spelling
        for spelling in latin_spellings(entry)
        if spelling != entry
        and (
            not KAZAKH_LATIN_LETTERS.isdisjoint(spelling)
            or sum(char.isalpha() for char in spelling) >= _PLAIN_LATIN_MIN
        )
    ]
