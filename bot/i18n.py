"""Message catalogues (bot/locales/*.toml) and the translator all user-visible text goes through.

Catalogue values are Telegram HTML written by us; parameters are user or article text and are
escaped when formatted in (unless already `Html`). An unknown language falls back to English;
a missing key never does: it raises, and tests/test_i18n.py checks every key in every language.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Final

from bot.domain.taxonomy import LANGUAGES
from bot.domain.telegram_html import Html, escape

DEFAULT_LANGUAGE: Final = "en"

_ALL_CATEGORIES: Final = frozenset({"zero", "one", "two", "few", "many", "other"})

Message = str | Mapping[str, str]
"""A plain template, or plural category -> template."""


def plural_category(language: str, count: int) -> str:
    """The CLDR plural category of a whole number in a language."""
    if language == "ru":
        tens, ones = abs(count) % 100, abs(count) % 10
        if ones == 1 and tens != 11:
            return "one"
        if 2 <= ones <= 4 and not 12 <= tens <= 14:
            return "few"
        return "many"
    return "one" if count == 1 else "other"


@dataclass(frozen=True, slots=True)
class Catalogue:
    """All messages of one language, by flat dotted key."""

    language: str
    messages: Mapping[str, Message]


def parse_catalogue(language: str, text: str) -> Catalogue:
    """Read one TOML catalogue; nested tables become dotted keys, plural tables stay one message."""
    messages: dict[str, Message] = {}
    _flatten(tomllib.loads(text), "", messages)
    return Catalogue(language, messages)


def _flatten(table: Mapping[str, object], prefix: str, into: dict[str, Message]) -> None:
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, str):
            into[name] = value
        elif isinstance(value, dict) and value and set(value) <= _ALL_CATEGORIES:
            if not all(isinstance(form, str) for form in value.values()):
                raise ValueError(f"plural message {name} must hold strings")
            into[name] = {category: str(form) for category, form in value.items()}
        elif isinstance(value, dict):
            _flatten(value, f"{name}.", into)
        else:
            raise ValueError(f"catalogue value {name} must be a string or a table")


def load_catalogues() -> dict[str, Catalogue]:
    """Read the catalogues shipped in the bot.locales package."""
    folder = resources.files("bot.locales")
    return {
        language: parse_catalogue(language, folder.joinpath(f"{language}.toml").read_text("utf-8"))
        for language in LANGUAGES
    }


class Translator:
    """Formats catalogue messages for a language, escaping parameters as HTML."""

    def __init__(self, catalogues: Mapping[str, Catalogue]) -> None:
        if DEFAULT_LANGUAGE not in catalogues:
            raise ValueError("the English catalogue is required")
        self._catalogues = dict(catalogues)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._catalogues)

    def translate(self, language: str, key: str, /, **params: object) -> Html:
        """The message `key` in `language`; a `count` parameter chooses the plural form."""
        catalogue = self._catalogues.get(language) or self._catalogues[DEFAULT_LANGUAGE]
        message = catalogue.messages[key]
        if not isinstance(message, str):
            count = params.get("count")
            if not isinstance(count, int):
                raise TypeError(f"{key} is a plural message and needs an int `count`")
            message = message[plural_category(catalogue.language, count)]
        return Html(message.format_map({name: _html(value) for name, value in params.items()}))

    def bind(self, language: str) -> BoundTranslator:
        """A translator fixed to one language: the `Texts` callable domain renderers take."""
        return BoundTranslator(self, language)


@dataclass(frozen=True, slots=True)
class BoundTranslator:
    """`translate` with the language filled in; called as `texts(key, **params)`."""

    translator: Translator
    language: str

    def __call__(self, key: str, /, **params: object) -> Html:
        return self.translator.translate(self.language, key, **params)


def _html(value: object) -> str:
    if isinstance(value, Html):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return escape(str(value))


@functools.cache
def default_translator() -> Translator:
    """The translator over the shipped catalogues, read once."""
    return Translator(load_catalogues())


def translate(language: str, key: str, /, **params: object) -> Html:
    """`default_translator().translate(...)`."""
    return default_translator().translate(language, key, **params)
