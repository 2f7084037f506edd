"""Reading the arguments of /subscribe and /unsubscribe into terms.

`/subscribe almaty region, economy "water tariff" -football -"ice hockey"` gives
`[Names(("almaty", "region")), Names(("economy",)), Keyword("water tariff"),
Exclusion("football", quoted=False), Exclusion("ice hockey", quoted=True)]`.

- A quoted phrase ("…", «…», “…”, „…“, '…', ‘…’) is a keyword: plain text, never a pattern.
- `-word` or `-"phrase"` is an exclusion (also with −, – or —, which phones substitute).
- Bare words come as runs (`Names`), split at commas and semicolons and at quoted terms,
  because region and topic names span several words typed without quotes (`north kazakhstan`,
  `Восточно-Казахстанская область`). The caller resolves a run with `segment` (greedy,
  leftmost-longest) or walks `candidate_spans` itself.
Expected failures raise `TermError`, whose message key and parameters the handler translates.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, TypeVar

MAX_KEYWORD_CHARS: Final = 64
MAX_TERMS: Final = 32  # bare words and quoted or excluded terms, per command
MAX_NAME_WORDS: Final = 5  # "Жұмыс және әлеуметтік қолдау" has four

_T = TypeVar("_T")
_COMMAND: Final = re.compile(r"\s*/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?(?=\s|$)")
_SEPARATORS: Final = frozenset(",;")
_DASHES: Final = frozenset("-−–—")
# Opening quote -> the marks that may close it.
_QUOTES: Final[dict[str, str]] = {
    '"': '"”“',
    "«": "»",
    "“": "”“",
    "„": "“”",
    "'": "'’",
    "‘": "’'",
}
_APOSTROPHES: Final = frozenset("'‘")  # close only before a space, a separator or the end
# Joining words that may stand alone between names: "almaty and karaganda".
_CONJUNCTIONS: Final = frozenset({"and", "&", "+", "и", "және", "мен", "бен", "пен"})


@dataclass(frozen=True, slots=True)
class Names:
    """A run of bare words; a region or topic name may span several of them."""

    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Keyword:
    """A quoted phrase to look for in article text."""

    text: str


@dataclass(frozen=True, slots=True)
class Exclusion:
    """`-word` or `-"phrase"`; an unquoted one may also name a region or topic."""

    text: str
    quoted: bool


Term = Names | Keyword | Exclusion


@dataclass(frozen=True, slots=True)
class Span:
    """Words `start` to `end` (exclusive) of a run, joined by single spaces."""

    start: int
    end: int
    text: str


class TermError(ValueError):
    """An argument the user must fix; `key` and `params` go to the translator."""

    def __init__(self, key: str, **params: str) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def parse_subscription_args(text: str) -> list[Term]:
    """The terms of a command's text (a leading `/command` or `/command@bot` is skipped)."""
    command = _COMMAND.match(text)
    scanner = _Scanner(text[command.end() :] if command else text)
    terms = scanner.terms()
    if scanner.count > MAX_TERMS:
        raise TermError("subscribe.too_many_terms", limit=str(MAX_TERMS))
    return terms


def normalize_keyword(text: str) -> str:
    """A keyword as stored: NFC, invisible characters dropped, spaces collapsed, capped."""
    visible = "".join(
        " " if char.isspace() else char
        for char in unicodedata.normalize("NFC", text)
        if char.isspace() or unicodedata.category(char) not in {"Cc", "Cf"}
    )
    keyword = " ".join(visible.split())
    if not any(char.isalnum() for char in keyword):
        raise TermError("subscribe.keyword_empty")
    if len(keyword) > MAX_KEYWORD_CHARS:
        raise TermError(
            "subscribe.keyword_too_long",
            keyword=keyword[:MAX_KEYWORD_CHARS] + "…",
            limit=str(MAX_KEYWORD_CHARS),
        )
    return keyword


def segment(
    words: Sequence[str], lookup: Callable[[str], _T | None], max_words: int = MAX_NAME_WORDS
) -> list[tuple[Span, _T | None]]:
    """Cut a run into names, greedily taking the longest span `lookup` knows at each position.

    A word no span covers comes back alone with None, so the caller can report it, except a
    lone conjunction ("and", "и", "және"), which is dropped.
    """
    found: list[tuple[Span, _T | None]] = []
    start = 0
    while start < len(words):
        for end in range(min(len(words), start + max_words), start, -1):
            span = Span(start, end, " ".join(words[start:end]))
            value = lookup(span.text)
            if value is not None:
                found.append((span, value))
                start = end
                break
        else:
            if words[start].casefold() not in _CONJUNCTIONS:
                found.append((Span(start, start + 1, words[start]), None))
            start += 1
    return found


class _Scanner:
    """One left-to-right pass over the text; `count` tallies terms for the MAX_TERMS cap."""

    def __init__(self, text: str) -> None:
        self.text = unicodedata.normalize("NFC", text)
        self.at = 0
        self.count = 0
        self.found: list[Term] = []
        self.run: list[str] = []

    def terms(self) -> list[Term]:
        while self.at < len(self.text):
            char = self.text[self.at]
            if char.isspace():
                self.at += 1
            elif char in _SEPARATORS:
                self.at += 1
                self._flush()
            elif char in _DASHES and self._starts_token(self.at + 1):
                self.at += 1
                self._exclusion()
            elif char in _QUOTES:
                self._flush()
                self._add(Keyword(normalize_keyword(self._quoted())))
            else:
                self._word(_trim(self._bare()))
        self._flush()
        return self.found

    def _word(self, word: str) -> None:
        """A bare word joins the run; lone punctuation ("almaty - karaganda") ends it."""
        if word:
            self.run.append(word)
            self.count += 1
        else:
            self._flush()

    def _exclusion(self) -> None:
        self._flush()
        if self.text[self.at] in _QUOTES:
            self._add(Exclusion(normalize_keyword(self._quoted()), quoted=True))
            return
        word = _trim(self._bare())
        if word:
            self._add(Exclusion(normalize_keyword(word), quoted=False))

    def _quoted(self) -> str:
        """The phrase after the opening quote at `at`; an unclosed quote runs to the end."""
        opener = self.text[self.at]
        start = end = self.at + 1
        while end < len(self.text):
            if self.text[end] in _QUOTES[opener] and (
                opener not in _APOSTROPHES or self._ends_token(end + 1)
            ):
                self.at = end + 1
                return self.text[start:end]
            end += 1
        self.at = end
        return self.text[start:end]

    def _bare(self) -> str:
        start = self.at
        while self._starts_token(self.at):
            self.at += 1
        return self.text[start : self.at]

    def _starts_token(self, index: int) -> bool:
        return index < len(self.text) and not self._ends_token(index)

    def _ends_token(self, index: int) -> bool:
        return (
            index >= len(self.text) or self.text[index].isspace() or self.text[index] in _SEPARATORS
        )

    def _add(self, term: Term) -> None:
        self.found.append(term)
        self.count += 1

    def _flush(self) -> None:
        if self.run:
            self.found.append(Names(tuple(self.run)))
            self.run = []


def _trim(word: str) -> str:
    """A bare word without the punctuation around it; inner hyphens and apostrophes stay."""
    start, end = 0, len(word)
    while start < end and not word[start].isalnum():
        start += 1
    while end > start and not word[end - 1].isalnum():
        end -= 1
    return word[start:end]
