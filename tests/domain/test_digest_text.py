"""Text helpers of the digest (shortening, links, site names) and long dates in three languages."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.domain.digest import format_date
from bot.domain.digest.text import one_line, prefix_within, safe_href, shorten, site_label
from bot.domain.telegram_html import utf16_len
from bot.i18n import default_translator


@pytest.mark.parametrize(
    ("language", "day", "text"),
    [
        ("en", date(2025, 1, 13), "13 January 2025"),
        ("ru", date(2025, 1, 13), "13 января 2025"),
        ("kk", date(2025, 1, 13), "2025 жылғы 13 қаңтар"),
        ("en", date(2024, 12, 1), "1 December 2024"),
        ("ru", date(2024, 5, 9), "9 мая 2024"),
        ("kk", date(2024, 8, 30), "2024 жылғы 30 тамыз"),
    ],
)
def test_long_dates(language: str, day: date, text: str) -> None:
    assert format_date(day, default_translator().bind(language)) == text


@pytest.mark.parametrize(
    ("text", "units", "expected"),
    [
        ("short", 10, "short"),
        ("exactly ten", 11, "exactly ten"),
        ("one two three four", 12, "one two…"),
        ("one two, three four", 14, "one two…"),
        ("averyveryverylongword", 8, "averyve…"),
        ("😀😀😀😀", 5, "😀😀…"),
        ("", 5, ""),
    ],
)
def test_shorten_cuts_on_a_word_with_an_ellipsis(text: str, units: int, expected: str) -> None:
    assert shorten(text, units) == expected


@given(st.text(), st.integers(min_value=1, max_value=300))
@example("a😀" * 200, 7)
def test_shorten_respects_the_budget_and_keeps_a_prefix(text: str, units: int) -> None:
    cut = shorten(text, units)
    assert utf16_len(cut) <= units
    assert text.startswith(cut.removesuffix("…").rstrip(" \t,;:.-–—"))


@given(st.text(), st.integers(min_value=0, max_value=50))
def test_prefix_within_is_the_longest_fitting_prefix(text: str, units: int) -> None:
    prefix = prefix_within(text, units)
    assert text.startswith(prefix)
    assert utf16_len(prefix) <= units
    if prefix != text:
        assert utf16_len(text[: len(prefix) + 1]) > units


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  many\n\tspaces  here ", "many spaces here"),
        ("nul\x00 and \x07bell", "nul and bell"),
        ("lone \ud800surrogate", "lone surrogate"),
        ("zero\u200bwidth", "zero\u200bwidth"),
    ],
)
def test_one_line(text: str, expected: str) -> None:
    assert one_line(text) == expected


@pytest.mark.parametrize(
    ("url", "href"),
    [
        ("https://www.gov.kz/a?b=1&c=2", "https://www.gov.kz/a?b=1&c=2"),
        ("http://kaz.kz", "http://kaz.kz"),
        (None, None),
        ("", None),
        ("javascript:alert(1)", None),
        ("ftp://files.kz/x", None),
        ("/relative/path", None),
        ("https://a.kz/with space", None),
        ("https://a.kz/" + "x" * 3000, None),
        ("https://[broken/", None),
    ],
)
def test_safe_href(url: str | None, href: str | None) -> None:
    assert safe_href(url) == href


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.gov.kz/memleket/entities/karaganda/press", "gov.kz"),
        ("https://Inform.KZ/ru/x", "inform.kz"),
        (None, ""),
        ("not a url", ""),
    ],
)
def test_site_label(url: str | None, site: str) -> None:
    assert site_label(url) == site
