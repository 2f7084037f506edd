"""Canonical URLs and site names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.urls import canonical_url, site_name


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.gov.kz/a/b#top", "https://www.gov.kz/a/b"),
        ("HTTPS://WWW.GOV.KZ:443/a?utm_source=tg&id=5", "https://www.gov.kz/a?id=5"),
        ("http://example.kz:8080/x?fbclid=abc", "http://example.kz:8080/x"),
        ("https://example.kz", "https://example.kz/"),
        ("ftp://example.kz/file", None),
        ("not a url", None),
        ("http://[::1", None),
    ],
)
def test_canonical_url(url: str, expected: str | None) -> None:
    assert canonical_url(url) == expected


def test_site_name_drops_www() -> None:
    assert site_name("https://www.gov.kz/memleket/entities/karaganda") == "gov.kz"
    assert site_name("https://inform.kz/ru/x") == "inform.kz"
    assert site_name(None) == ""


@given(st.text())
def test_canonical_url_is_idempotent(url: str) -> None:
    once = canonical_url(url)
    if once is not None:
        assert canonical_url(once) == once
