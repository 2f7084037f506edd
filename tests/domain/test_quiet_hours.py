"""Quiet hours: reading `/quiet` ranges, and when a held alert may go out (DST included)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.domain.quiet_hours import (
    QuietHours,
    QuietHoursError,
    parse_quiet_hours,
    quiet_hours_of,
    quiet_until,
)

ALMATY = ZoneInfo("Asia/Almaty")  # UTC+5 all year since March 2024
BERLIN = ZoneInfo("Europe/Berlin")
NIGHT = QuietHours(time(22), time(7))
LUNCH = QuietHours(time(13), time(14, 30))


def utc(month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, second, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22:00-07:00", NIGHT),
        ("22-7", NIGHT),
        ("22:00–07:00", NIGHT),  # an en dash, as phones autocorrect it
        ("22:00 — 07:00", NIGHT),
        ("22.00-07.00", NIGHT),
        (" 22:00 - 7 ", NIGHT),
        ("２２：００－０７：００", NIGHT),  # full-width, from a phone keyboard
        ("10pm-7am", NIGHT),
        ("13:00-14:30", LUNCH),
        ("0-6", QuietHours(time(0), time(6))),
        ("23:30-00:00", QuietHours(time(23, 30), time(0))),
    ],
)
def test_parse_quiet_hours(text: str, expected: QuietHours) -> None:
    assert parse_quiet_hours(text) == expected


@pytest.mark.parametrize(
    ("text", "key", "params"),
    [
        ("", "quiet.bad_range", {}),
        ("7", "quiet.bad_range", {}),
        ("22:00", "quiet.bad_range", {}),
        ("22-", "quiet.bad_range", {}),
        ("-7", "quiet.bad_range", {}),
        ("22-7-9", "quiet.bad_range", {}),
        ("22 7", "quiet.bad_range", {}),
        ("maybe", "quiet.bad_range", {}),
        ("1" * 200 + "-7", "quiet.bad_range", {}),
        ("25:00-07:00", "quiet.bad_time", {"time": "25:00"}),
        ("22:00-07:60", "quiet.bad_time", {"time": "07:60"}),
        ("22:00-soon", "quiet.bad_time", {"time": "soon"}),
        ("8:5-9", "quiet.bad_time", {"time": "8:5"}),
        ("22:00-22:00", "quiet.empty_range", {}),
        ("7-07:00", "quiet.empty_range", {}),
    ],
)
def test_parse_quiet_hours_refuses(text: str, key: str, params: dict[str, str]) -> None:
    with pytest.raises(QuietHoursError) as caught:
        parse_quiet_hours(text)
    assert (caught.value.key, caught.value.params) == (key, params)


def test_stored_round_trip() -> None:
    assert NIGHT.stored() == ("22:00", "07:00")
    assert quiet_hours_of(*NIGHT.stored()) == NIGHT
    assert quiet_hours_of(None, None) is None
    assert quiet_hours_of("22:00", None) is None


# quiet hours, now (UTC), zone, expected end (UTC) or None when not quiet.
UNTIL_CASES = [
    # Almaty 23:00, across midnight: quiet until 07:00 tomorrow (02:00 UTC).
    (NIGHT, utc(1, 13, 18), ALMATY, utc(1, 14, 2)),
    # Almaty 03:00, the early-morning side of the same range: until 07:00 today.
    (NIGHT, utc(1, 13, 22), ALMATY, utc(1, 14, 2)),
    # Exactly the start is quiet; exactly the end is not (the end is exclusive).
    (NIGHT, utc(1, 13, 17), ALMATY, utc(1, 14, 2)),
    (NIGHT, utc(1, 14, 2), ALMATY, None),
    (NIGHT, utc(1, 14, 1, 59, 59), ALMATY, utc(1, 14, 2)),
    # Almaty 12:00 is outside the night.
    (NIGHT, utc(1, 13, 7), ALMATY, None),
    # A same-day range: inside, before it and after it.
    (LUNCH, utc(1, 13, 8, 15), ALMATY, utc(1, 13, 9, 30)),
    (LUNCH, utc(1, 13, 7, 59), ALMATY, None),
    (LUNCH, utc(1, 13, 9, 30), ALMATY, None),
    (None, utc(1, 13, 18), ALMATY, None),
    # Berlin springs forward on 30 March 2025 (02:00 -> 03:00): a night ending at 02:30
    # ends when the clocks jump, at 01:00 UTC.
    (QuietHours(time(22), time(2, 30)), utc(3, 29, 23, 30), BERLIN, utc(3, 30, 1)),
    # Berlin falls back on 26 October 2025 (03:00 -> 02:00): 02:30 happens twice. On the first
    # pass (00:15 UTC) the first 02:30 is ahead; on the second (01:15 UTC) only the second is.
    (QuietHours(time(22), time(2, 30)), utc(10, 26, 0, 15), BERLIN, utc(10, 26, 0, 30)),
    (QuietHours(time(22), time(2, 30)), utc(10, 26, 1, 15), BERLIN, utc(10, 26, 1, 30)),
]


@pytest.mark.parametrize(("quiet", "now", "zone", "expected"), UNTIL_CASES)
def test_quiet_until(
    quiet: QuietHours | None, now: datetime, zone: ZoneInfo, expected: datetime | None
) -> None:
    assert quiet_until(quiet, now=now, zone=zone) == expected


def test_quiet_until_refuses_naive_now() -> None:
    with pytest.raises(ValueError, match="aware"):
        quiet_until(NIGHT, now=datetime(2025, 1, 13, 18), zone=ALMATY)  # noqa: DTZ001


def test_equal_ends_are_refused() -> None:
    with pytest.raises(QuietHoursError):
        QuietHours(time(7), time(7))


clock_times = st.times().map(lambda t: t.replace(second=0, microsecond=0))
instants = st.datetimes(
    min_value=datetime(2024, 3, 2),  # noqa: DTZ001 - hypothesis wants naive bounds
    max_value=datetime(2030, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@given(start=clock_times, end=clock_times, now=instants, zone=st.sampled_from([ALMATY, BERLIN]))
@example(start=time(22), end=time(2, 30), now=utc(10, 26, 1, 15), zone=BERLIN)
def test_quiet_until_ends_ahead_and_outside(
    start: time, end: time, now: datetime, zone: ZoneInfo
) -> None:
    """A held alert waits at most a day, and where clocks never jump, it is not quiet then.

    (Where they do, hours that start inside a skipped hour may begin again at once.)
    """
    if start == end:
        return
    quiet = QuietHours(start, end)
    ends = quiet_until(quiet, now=now, zone=zone)
    wall = now.astimezone(zone).time().replace(tzinfo=None)
    assert (ends is not None) == quiet.covers(wall)
    if ends is not None:
        assert now < ends <= now + timedelta(hours=25)
        if zone is ALMATY:
            assert quiet_until(quiet, now=ends, zone=zone) is None


@given(start=clock_times, end=clock_times)
def test_parse_reads_what_is_stored(start: time, end: time) -> None:
    if start == end:
        return
    quiet = QuietHours(start, end)
    assert parse_quiet_hours("-".join(quiet.stored())) == quiet
