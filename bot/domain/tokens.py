"""Words: the one tokeniser of the text engine, and the normal form every tagger compares.

A word is a run of letters or of digits; words glued by a lost space ("KazakhstanAnother",
"2024Karaganda") are cut where a small letter meets a capital or a digit meets a letter. Dashes
that stand between words (Kostanay – Turkestan) are tokens too; a hyphen inside a word
(Bukhar-Zhyrau) only separates its parts. A normal form is lower-case, ё folded to е, any dash
made `DASH`, and a Latin i typed beside Cyrillic letters (Түркiстан) made the Kazakh і.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Final, TypeVar

DASH: Final = "–"  # the normal form of every dash
CYRILLIC_LETTERS: Final = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі")
# Small letters and capitals of the alphabets the news is written in (English, Russian, Kazakh
# in Cyrillic and in its Latin alphabets), between which a lost space is seen; digits with their
# superscript and subscript forms (м², CO₂).
_SMALL: Final = "a-zß-öø-ÿáäçğıńñóöşúüūýǵа-яёәғқңөұүһі"
_CAPITAL: Final = "A-ZÀ-ÖØ-ÞÁÄÇĞİŃÑÓÖŞÚÜŪÝǴА-ЯЁӘҒҚҢӨҰҮҺІ"
_DIGIT: Final = r"\d⁰¹²³⁴-⁹₀-₉"
_LETTER: Final = rf"[^\W{_DIGIT}_]"
_NOT_CAPITAL: Final = rf"[^\W{_DIGIT}_{_CAPITAL}]"
# A word: a letter, then letters where a capital never follows a small letter; or digits.
WORD: Final = re.compile(
    rf"{_LETTER}{_NOT_CAPITAL}*(?:(?<![{_SMALL}])[{_CAPITAL}]{_NOT_CAPITAL}*)*|[{_DIGIT}]+"
)
# Each alternative opens with what it matches, not a lookbehind, which lets `re` skip fast.
TOKEN: Final = re.compile(rf"{WORD.pattern}|[–—]|-(?<![^\W_]-)(?![^\W_])")
# Letters only, for telling languages apart (bot.domain.language): figures say nothing of one.
LETTERS: Final = re.compile(r"[^\W\d_]+")
_CYRILLIC: Final = "".join(sorted(CYRILLIC_LETTERS))
_LATIN_I: Final = re.compile(rf"i(?=[{_CYRILLIC}])|i(?<=[{_CYRILLIC}]i)")

K = TypeVar("K")
V = TypeVar("V")


class Memo(dict[K, V]):
    """A bounded memo of a pure function; look values up with `memo[key]`.

    A hit is a plain dictionary lookup, so `map(memo.__getitem__, keys)` runs at C speed. When
    `limit` entries are reached they become an older generation that a miss consults first, so
    the keys in steady use survive the flush and memory stays under twice the limit.
    """

    __slots__ = ("_compute", "_limit", "_old")

    def __init__(self, compute: Callable[[K], V], limit: int) -> None:
        super().__init__()
        self._compute = compute
        self._limit = limit
        self._old: dict[K, V] = {}

    def __missing__(self, key: K) -> V:
        value = self._old[key] if key in self._old else self._compute(key)
        if len(self) >= self._limit:
            self._old = dict(self)
            self.clear()
        self[key] = value
        return value


# Marks that stand before or after words and are no part of any token (dashes are tokens).
_PUNCTUATION: Final = ".,;:!?()[]«»\"'“”„‘’…/*%"
# The tokens of whitespace-separated pieces of text that are not plain words, by spelling: as no
# token spans whitespace, a piece's tokens are the text's tokens there.
_PIECE_TOKENS: Final[Memo[str, tuple[str, ...]]] = Memo(
    lambda piece: tuple(TOKEN.findall(piece)), 100_000
)


def raw_tokens(text: str) -> list[str]:
    """The words of a text as written, glued words cut, and the dashes standing between words."""
    tokens: list[str] = []
    add_raw_tokens(text, tokens)
    return tokens


def add_raw_tokens(text: str, tokens: list[str]) -> None:
    """Append the tokens of a text (see `raw_tokens`) to `tokens`: a batch of texts is read into
    one list, without a list per text to join afterwards.

    Most whitespace-separated pieces of a text are words of letters only, perhaps between
    punctuation ("году.", "«Нұра»"), with no capital after a small letter, or numbers of decimal
    digits only ("2025", "12,"): each is its own only token. Only the other pieces go through
    `TOKEN`, each spelling once: about half the cost of running it over every character. Numbers
    are told by `isdecimal`, not the memo: most are met once, and would only churn it.
    """
    append = tokens.append
    for piece in text.split():
        if not (piece.isalpha() and (piece.islower() or piece.istitle())):
            piece = piece.strip(_PUNCTUATION)
            # `\d` is the decimal digits (Nd): `TOKEN` keeps a piece of them whole.
            if not (
                (piece.isalpha() and (piece.islower() or piece.istitle() or piece.isupper()))
                or piece.isdecimal()
            ):
                tokens += _PIECE_TOKENS[piece]
                continue
        append(piece)


def normalise(text: str) -> str:
    """Lower-case and fold ё to е, so Russian spellings with and without it compare equal."""
    return text.lower().replace("ё", "е")


def normal_text(tokens: Iterable[str]) -> str:
    """The normal forms of tokens, joined by single spaces: one pass of string methods for a
    whole text, or a batch of texts, instead of one call per token."""
    text = normalise(" ".join(tokens))
    if "i" in text:
        text = _LATIN_I.sub("і", text)
    if "-" in text or "—" in text:  # only a dash token holds one
        text = text.replace("-", DASH).replace("—", DASH)
    return text


def normal_form(token: str) -> str:
    """The normal form of one token."""
    return normal_text((token,))


def normal_words(text: str) -> list[str]:
    """The normal forms of a text's tokens, dashes included: what `Word.low` holds."""
    tokens = raw_tokens(text)
    return normal_text(tokens).split(" ") if tokens else []


def words(text: str) -> list[str]:
    """The normal forms of a text's words, without dashes: how names and entries are written."""
    found = WORD.findall(text)
    return normal_text(found).split(" ") if found else []


def is_cyrillic(word: str) -> bool:
    """Whether a word is written in Cyrillic (Russian or Kazakh)."""
    return any(char in CYRILLIC_LETTERS for char in word)
