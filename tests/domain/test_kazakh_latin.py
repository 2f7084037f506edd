"""Kazakh in Latin letters: the spellings the gazetteer and the language detector derive."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.kazakh_latin import KAZAKH_LATIN_LETTERS, latin_spellings
from bot.domain.tokens import CYRILLIC_LETTERS

KAZAKH_CYRILLIC = "абвгғдежзийкқлмнңоөпрстуұүфхһцчшщъыіьэюяё"


@pytest.mark.parametrize(
    ("cyrillic", "spellings"),
    [
        ("Қарағанды облысы", ("Qaraǵandy oblysy", "Qarağandı oblısı", "Qaragandy oblysy")),
        ("Түркістан", ("Túrkistan", "Türkistan", "Turkistan")),
        ("ауданы", ("aýdany", "audanı", "audany")),
        ("Семей", ("Semeı", "Semei")),
        ("Шымкент", ("Shymkent", "Şımkent")),
        ("ШҚО", ("ShQO", "ŞQO")),
        ("Kazakhstan", ("Kazakhstan",)),
    ],
)
def test_spellings(cyrillic: str, spellings: tuple[str, ...]) -> None:
    assert latin_spellings(cyrillic) == spellings


@given(st.text(alphabet=KAZAKH_CYRILLIC + KAZAKH_CYRILLIC.upper() + " -", max_size=40))
def test_spellings_are_latin_and_distinct(text: str) -> None:
    spellings = latin_spellings(text)
    assert 1 <= len(spellings) <= 3
    assert len(set(spellings)) == len(spellings)
    for spelling in spellings:
        assert not CYRILLIC_LETTERS.intersection(spelling.lower())
    plain = [spelling for spelling in spellings if spelling.isascii()]
    assert plain, "one spelling drops the diacritics"
    assert not KAZAKH_LATIN_LETTERS.intersection(plain[0])
