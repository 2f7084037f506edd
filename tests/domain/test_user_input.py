"""User input quoted back in replies, numbers read with a length check, replies within 4,096."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.domain.telegram_html import escape, fit_lines, visible_len, visible_text
from bot.domain.user_input import QUOTE_MAX_CHARS, cut, parse_natural, quote_input
from tests.checks import is_valid

UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
FAMILY = "👨\u200d👩\u200d👧\u200d👦"


@pytest.mark.parametrize(
    ("typed", "quoted"),
    [
        ("karaganda", "karaganda"),
        ("<b>x</b> & y", "&lt;b&gt;x&lt;/b&gt; &amp; y"),
        ("  two\n\tlines \x85 here ", "two lines here"),
        ("kara\x00\x07ganda", "kara\ufffdganda"),
        ("\u202eadnagarak\u202c", "\ufffdadnagarak\ufffd"),
        ("\u2066iso\u2069 \u200fmark", "\ufffdiso\ufffd \ufffdmark"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("DEL\x7f C1\x9b", "DEL\ufffd C1\ufffd"),
        (f"{FAMILY} 🇰🇿 👍🏽", f"{FAMILY} 🇰🇿 👍🏽"),
        ("q" * 64, "q" * 64),
        ("q" * 65, "q" * 63 + "…"),
        ("q" * 5000, "q" * 63 + "…"),
        ("a" * 60 + " " + "b" * 10, "a" * 60 + " bb…"),
        ("a" * 62 + " " + "b" * 10, "a" * 62 + "…"),
        ("<" * 100, "&lt;" * 63 + "…"),
    ],
)
def test_quote_input(typed: str, quoted: str) -> None:
    assert quote_input(typed) == quoted


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("abc", 3, "abc"),
        ("abcd", 3, "ab…"),
        ("x" * 60 + FAMILY, 64, "x" * 60 + "…"),  # the family is never split at a joiner
        ("x" * 61 + "👍🏽" + "yy", 64, "x" * 61 + "👍🏽…"),
        ("x" * 62 + "👍🏽" + "y", 64, "x" * 62 + "…"),  # not a hand without its skin tone
        ("x" * 62 + "e\u0301" + "y", 64, "x" * 62 + "…"),  # nor a letter without its accent
        ("x" * 62 + "🏳️\u200d🌈", 64, "x" * 62 + "…"),
    ],
)
def test_cut_keeps_characters_whole(text: str, limit: int, expected: str) -> None:
    assert cut(text, limit) == expected


@given(st.text())
@example("\x00" * 5000)
@example(FAMILY * 40)
@example("\u202e" + "<&>" * 100)
def test_a_quote_is_valid_short_visible_and_stable(typed: str) -> None:
    quoted = quote_input(typed)
    assert is_valid(quoted)
    shown = visible_text(quoted)
    assert len(shown) <= QUOTE_MAX_CHARS
    assert UNSAFE.search(shown) is None
    assert "\n" not in shown
    assert quote_input(shown) == quoted


@pytest.mark.parametrize(
    ("text", "maximum", "number"),
    [
        ("0", 9, 0),
        ("7", 9, 7),
        ("0042", 9999, 42),
        ("10", 9, None),
        ("9223372036854775807", 2**63 - 1, 2**63 - 1),
        ("9223372036854775808", 2**63 - 1, None),
        ("9" * 5000, 2**63 - 1, None),
        ("", 9, None),
        ("-1", 9, None),
        ("+1", 9, None),
        (" 1", 9, None),
        ("²", 9, None),
        ("٣", 9, None),
        ("1_000", 9999, None),
        ("1e3", 9999, None),
    ],
)
def test_parse_natural(text: str, maximum: int, number: int | None) -> None:
    assert parse_natural(text, maximum=maximum) == number


@given(st.text(alphabet=st.sampled_from("0123456789²٣ -+_x"), max_size=30), st.integers(0, 10**20))
def test_parse_natural_never_raises_and_stays_in_range(text: str, maximum: int) -> None:
    number = parse_natural(text, maximum=maximum)
    assert number is None or 0 <= number <= maximum


@given(st.integers(0, 10**18))
def test_parse_natural_reads_every_number_it_allows(number: int) -> None:
    assert parse_natural(str(number), maximum=10**18) == number


def test_fit_lines_keeps_what_fits_and_says_what_it_left_out() -> None:
    assert fit_lines(["<b>a</b>", "b"]) == "<b>a</b>\nb"
    assert fit_lines([]) == ""
    assert fit_lines(["aaaa", "bbbb", "cccc"], max_units=14) == "aaaa\nbbbb\ncccc"
    assert fit_lines(["aaaa", "bbbb", "cccc"], max_units=11) == "aaaa\nbbbb\n…"
    assert fit_lines(["aaaa", "bbbb", "cccc"], max_units=10) == "aaaa\n…"
    assert fit_lines(["aaaa", "bbbb", "cccc"], max_units=6) == "aaaa\n…"
    assert fit_lines(["aaaa", "bbbb", "cccc"], max_units=5) == "…"
    assert fit_lines(["&lt;&gt;", "🇰🇿"], max_units=7) == "&lt;&gt;\n🇰🇿", "visible UTF-16 units"
    assert fit_lines(["&lt;&gt;", "🇰🇿"], max_units=6) == "&lt;&gt;\n…"


@given(st.lists(st.text(max_size=300), max_size=40), st.integers(1, 4096))
def test_fit_lines_never_exceeds_the_limit(lines: list[str], max_units: int) -> None:
    html = [escape(line) for line in lines]
    fitted = fit_lines(html, max_units=max_units)
    assert visible_len(fitted) <= max_units
    assert fitted == "\n".join(html) or fitted.endswith("…")
