"""Stored text: no controls or direction tricks, titles one bounded line."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.domain.safe_text import TITLE_MAX_CHARS, cut_title, safe_text, safe_title

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plain text.\n\nSecond\tparagraph.", "Plain text.\n\nSecond\tparagraph."),
        ("NUL\x00 and bell\x07 and escape\x1b[31m", "NUL and bell and escape[31m"),
        ("C1 \x80\x9b controls, DEL\x7f", "C1  controls, DEL"),
        ("Windows\r\nlines\rand old Mac", "Windows\nlines\nand old Mac"),
        ("Vertical\x0btab, form\x0cfeed, next\x85line", "Vertical\ntab, form\nfeed, next\nline"),
        ("file \u202egpj.exe\u202c here", "file gpj.exe here"),
        ("isolates \u2066a\u2069 \u2067b\u2069 \u2068c\u2069", "isolates a b c"),
        ("lone \ud800 surrogate", "lone  surrogate"),
        ("Kept: \u200f RLM, \u00a0 NBSP, Қазақ, 🚀", "Kept: \u200f RLM, \u00a0 NBSP, Қазақ, 🚀"),
    ],
)
def test_safe_text(text: str, expected: str) -> None:
    assert safe_text(text) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Roads\x00 in \u202eKaraganda\u202c", "Roads in Karaganda"),
        ("Two\nlines\tand\r\ntabs", "Two lines and tabs"),
        ("Spaces  kept   when clean", "Spaces  kept   when clean"),
        ("\x00\u202e\x1b", ""),
    ],
)
def test_safe_title(title: str, expected: str) -> None:
    assert safe_title(title) == expected


def test_long_titles_are_cut_at_a_word_boundary() -> None:
    title = "Karaganda " * 100
    cut = safe_title(title)
    assert len(cut) <= TITLE_MAX_CHARS
    assert cut.endswith("Karaganda…")
    assert cut[:-1].split(" ") == ["Karaganda"] * len(cut[:-1].split(" "))


def test_a_title_without_spaces_is_cut_mid_word() -> None:
    assert cut_title("ә" * 1_000, 20) == "ә" * 19 + "…"
    assert cut_title("short title", 20) == "short title"
    assert cut_title("a " + "b" * 40, 20) == "a " + "b" * 17 + "…"  # the space is too early


def test_clean_text_is_returned_as_is() -> None:
    body = "Clean body.\n\nNothing to do."
    assert safe_text(body) is body


ANY_TEXT = st.text(
    st.one_of(
        st.characters(exclude_categories=()),
        st.sampled_from(f"\x00\x07\r\n\t\x0b\x85\x9b {BIDI_CONTROLS}"),
    ),
    max_size=80,
)


def is_forbidden(char: str) -> bool:
    return (
        char in BIDI_CONTROLS
        or "\ud800" <= char <= "\udfff"
        or (unicodedata.category(char) == "Cc" and char not in "\t\n")
    )


@given(ANY_TEXT)
@example("a\r\nb")
@example("\r\r\n")
def test_safe_text_leaves_nothing_forbidden_and_is_idempotent(text: str) -> None:
    cleaned = safe_text(text)
    assert not any(is_forbidden(char) for char in cleaned)
    assert safe_text(cleaned) == cleaned
    assert set(cleaned) <= set(text) | {"\n"}
    assert cleaned.count("\n") <= text.count("\n") + sum(text.count(c) for c in "\r\x0b\x0c\x85")


@given(ANY_TEXT, st.integers(min_value=2, max_value=40))
@example("word " * 20, 12)
@example("\u202e" * 50 + "x", 5)
def test_safe_title_is_one_bounded_clean_line(text: str, limit: int) -> None:
    title = safe_title(text, limit=limit)
    assert len(title) <= limit
    assert not any(is_forbidden(char) or char in "\t\n" for char in title)
    assert safe_title(title, limit=limit) == title
    assert set(title) <= set(text) | {" ", "…"}
