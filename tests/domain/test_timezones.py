"""Time-zone names: typed loosely, stored canonically; Kazakhstan is UTC+5 everywhere."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.timezones import (
    DEFAULT_ZONE,
    SUGGESTED_ZONES,
    canonical_zone,
    is_valid_zone,
)

ZONE_NAMES = sorted(zoneinfo.available_timezones() - {"Factory", "localtime", "posixrules"})


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Asia/Almaty", "Asia/Almaty"),
        ("asia/almaty", "Asia/Almaty"),
        (" ASIA/ALMATY ", "Asia/Almaty"),
        ("almaty", "Asia/Almaty"),
        ("America/New York", "America/New_York"),
        ("new york", "America/New_York"),
        ("Moscow", "Europe/Moscow"),
        ("utc", "UTC"),
        ("indianapolis", None),  # America/Indianapolis and America/Indiana/Indianapolis
        ("", None),
        ("   ", None),
        ("Factory", None),
        ("Mars/Olympus_Mons", None),
        ("../etc/passwd", None),
        ("Asia/Almaty|x", None),
    ],
)
def test_canonical_zone(typed: str, expected: str | None) -> None:
    assert canonical_zone(typed) == expected


def test_is_valid_zone_wants_the_canonical_spelling() -> None:
    assert is_valid_zone("Asia/Almaty")
    assert not is_valid_zone("asia/almaty")
    assert not is_valid_zone("almaty")
    assert not is_valid_zone("")


@given(st.sampled_from(ZONE_NAMES))
def test_every_zone_resolves_however_it_is_cased_or_spaced(name: str) -> None:
    assert canonical_zone(name) == name
    assert canonical_zone(name.upper()) == name
    assert canonical_zone(name.replace("_", " ").lower()) == name
    assert is_valid_zone(name)


@given(st.text(max_size=40))
def test_canonical_zone_never_raises_and_returns_a_real_zone(text: str) -> None:
    found = canonical_zone(text)
    assert found is None or found in ZONE_NAMES


def test_suggested_zones_are_canonical() -> None:
    assert DEFAULT_ZONE in SUGGESTED_ZONES
    for name in SUGGESTED_ZONES:
        assert is_valid_zone(name), name


KAZAKHSTAN_ZONES = (
    "Asia/Almaty", "Asia/Aqtobe", "Asia/Atyrau", "Asia/Qostanay", "Asia/Qyzylorda", "Asia/Aqtau",
    "Asia/Oral",
)  # fmt: skip


@pytest.mark.parametrize("name", KAZAKHSTAN_ZONES)
def test_all_of_kazakhstan_is_utc_plus_5_with_no_dst(name: str) -> None:
    """Fails with a tzdata older than 2024a, which still has Almaty on UTC+6."""
    zone = zoneinfo.ZoneInfo(name)
    for days in range(0, 365, 7):
        instant = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=days)
        assert instant.astimezone(zone).utcoffset() == timedelta(hours=5)
