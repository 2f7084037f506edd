"""The catalogues are complete in every language, and translation escapes what it formats in."""

from __future__ import annotations

import pytest

from bot.domain.taxonomy import LANGUAGES
from bot.domain.telegram_html import Html, visible_text
from bot.i18n import (
    Catalogue,
    Translator,
    default_translator,
    load_catalogues,
    parse_catalogue,
    plural_category,
    translate,
)
from tests.checks import PLURAL_CATEGORIES, placeholders

CATALOGUES = load_catalogues()
KEYS = sorted({key for catalogue in CATALOGUES.values() for key in catalogue.messages})


def _templates(catalogue: Catalogue, key: str) -> list[str]:
    message = catalogue.messages[key]
    return [message] if isinstance(message, str) else list(message.values())


def test_every_language_has_a_catalogue() -> None:
    assert set(CATALOGUES) == set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_key_is_missing(language: str) -> None:
    missing = [key for key in KEYS if key not in CATALOGUES[language].messages]
    assert missing == []


@pytest.mark.parametrize("key", KEYS)
def test_placeholders_agree_across_languages(key: str) -> None:
    found = {
        language: frozenset().union(*map(placeholders, _templates(catalogue, key)))
        for language, catalogue in CATALOGUES.items()
    }
    assert len(set(found.values())) == 1, found


@pytest.mark.parametrize("key", KEYS)
def test_plural_messages_have_exactly_their_language_forms(key: str) -> None:
    kinds = {isinstance(catalogue.messages[key], str) for catalogue in CATALOGUES.values()}
    assert len(kinds) == 1, "a message is plural in one language and plain in another"
    for language, catalogue in CATALOGUES.items():
        message = catalogue.messages[key]
        if not isinstance(message, str):
            assert tuple(sorted(message)) == tuple(sorted(PLURAL_CATEGORIES[language]))


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_valid_telegram_html(language: str, key: str) -> None:
    names = frozenset().union(*map(placeholders, _templates(CATALOGUES[language], key)))
    for count in (1, 2, 5, 21):
        params: dict[str, object] = {name: f"<{name}> & co" for name in names}
        params["count"] = count
        visible_text(translate(language, key, **params))


def test_parameters_are_escaped_but_html_passes_through() -> None:
    text = translate("en", "digest.no_news", date="<b>13</b> & 14")
    assert "&lt;b&gt;13&lt;/b&gt; &amp; 14" in text
    assert "<b>13</b>" in translate("en", "digest.no_news", date=Html("<b>13</b>"))


def test_unknown_language_falls_back_to_english() -> None:
    assert translate("de", "digest.untitled") == translate("en", "digest.untitled")


def test_missing_key_raises_instead_of_falling_back() -> None:
    with pytest.raises(KeyError):
        translate("ru", "no.such.key")


def test_plural_message_needs_a_count() -> None:
    with pytest.raises(TypeError):
        translate("ru", "digest.more")


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "many"),
        (1, "one"),
        (2, "few"),
        (4, "few"),
        (5, "many"),
        (11, "many"),
        (12, "many"),
        (14, "many"),
        (21, "one"),
        (22, "few"),
        (101, "one"),
        (111, "many"),
        (112, "many"),
        (1001, "one"),
    ],
)
def test_russian_plural_categories(count: int, expected: str) -> None:
    assert plural_category("ru", count) == expected


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("en", 1, "one"),
        ("en", 0, "other"),
        ("en", 2, "other"),
        ("kk", 1, "one"),
        ("kk", 5, "other"),
    ],
)
def test_two_form_plurals(language: str, count: int, expected: str) -> None:
    assert plural_category(language, count) == expected


@pytest.mark.parametrize(
    ("language", "count", "text"),
    [
        ("en", 1, "1 more story"),
        ("en", 5, "5 more stories"),
        ("ru", 1, "Ещё 1 новость"),
        ("ru", 3, "Ещё 3 новости"),
        ("ru", 5, "Ещё 5 новостей"),
        ("kk", 5, "Тағы 5 жаңалық"),
    ],
)
def test_plural_forms_are_chosen_by_count(language: str, count: int, text: str) -> None:
    assert text in translate(language, "digest.more", count=count)


def test_bound_translator_is_a_language_fixed_translate() -> None:
    texts = default_translator().bind("ru")
    assert texts("digest.sources", count=2, links="a") == "+2 источника: a"


def test_parse_catalogue_flattens_tables_and_keeps_plural_tables() -> None:
    catalogue = parse_catalogue(
        "en", 'top = "T"\n[a.b]\nc = "C"\n[a.n]\none = "1"\nother = "{count}"\n'
    )
    assert catalogue.messages == {"top": "T", "a.b.c": "C", "a.n": {"one": "1", "other": "{count}"}}


@pytest.mark.parametrize("text", ["n = 1\n", "[a]\nlist = [1]\n", "[p]\none = 1\n"])
def test_parse_catalogue_refuses_non_strings(text: str) -> None:
    with pytest.raises(ValueError, match="must"):
        parse_catalogue("en", text)


def test_translator_requires_english() -> None:
    with pytest.raises(ValueError, match="English"):
        Translator({"ru": CATALOGUES["ru"]})
