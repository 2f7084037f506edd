"""Schedule arithmetic: table-driven cases, DST gaps and folds, and a minute-scan oracle."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.schedule import (
    FREQUENCIES,
    check_frequency,
    following_due,
    next_due,
    occurrence_on,
    spread_suggestions,
)

ALMATY = ZoneInfo("Asia/Almaty")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
MOSCOW = ZoneInfo("Europe/Moscow")


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, micro: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)


# now, local time, zone, frequency, weekly day, expected (UTC) — 2025-01-13 is a Monday.
NEXT_DUE_CASES = [
    (utc(2025, 1, 13, 2, 0), time(8), ALMATY, "daily", None, utc(2025, 1, 13, 3, 0)),
    # A tick at exactly the due instant delivers it.
    (utc(2025, 1, 13, 3, 0), time(8), ALMATY, "daily", None, utc(2025, 1, 13, 3, 0)),
    # Setting 08:00 at 08:00:30 means tomorrow.
    (utc(2025, 1, 13, 3, 0, 30), time(8), ALMATY, "daily", None, utc(2025, 1, 14, 3, 0)),
    (utc(2025, 1, 13, 3, 0, 0, 1), time(8), ALMATY, "daily", None, utc(2025, 1, 14, 3, 0)),
    # Friday after the time: weekdays skip to Monday.
    (utc(2025, 1, 17, 4, 0), time(8), ALMATY, "weekdays", None, utc(2025, 1, 20, 3, 0)),
    (utc(2025, 1, 18, 4, 0), time(8), ALMATY, "weekdays", None, utc(2025, 1, 20, 3, 0)),
    (utc(2025, 1, 13, 2, 0), time(8), ALMATY, "weekly", 0, utc(2025, 1, 13, 3, 0)),
    (utc(2025, 1, 13, 4, 0), time(8), ALMATY, "weekly", 0, utc(2025, 1, 20, 3, 0)),
    (utc(2025, 1, 13, 4, 0), time(8), ALMATY, "weekly", 6, utc(2025, 1, 19, 3, 0)),
    # Local midnight crosses the UTC date: 00:30 in Almaty is 19:30 UTC the day before.
    (utc(2025, 1, 13, 20, 0), time(0, 30), ALMATY, "daily", None, utc(2025, 1, 14, 19, 30)),
    (utc(2025, 1, 13, 2, 0), time(8), MOSCOW, "daily", None, utc(2025, 1, 13, 5, 0)),
    # Almaty moved from UTC+6 to UTC+5 on 2024-03-01.
    (utc(2024, 2, 29, 1, 0), time(8), ALMATY, "daily", None, utc(2024, 2, 29, 2, 0)),
    (utc(2024, 2, 29, 2, 30), time(8), ALMATY, "daily", None, utc(2024, 3, 1, 3, 0)),
    # Europe/Berlin skips 02:00-03:00 on 2025-03-30: due when the clocks jump (03:00 CEST).
    (utc(2025, 3, 29, 12, 0), time(2, 30), BERLIN, "daily", None, utc(2025, 3, 30, 1, 0)),
    # ... and shows 02:00-03:00 twice on 2025-10-26: due at the first one (CEST).
    (utc(2025, 10, 25, 12, 0), time(2, 30), BERLIN, "daily", None, utc(2025, 10, 26, 0, 30)),
    # After the first 02:30 has passed, the second one does not count again.
    (utc(2025, 10, 26, 0, 45), time(2, 30), BERLIN, "daily", None, utc(2025, 10, 27, 1, 30)),
    (utc(2025, 3, 8, 12, 0), time(2, 30), NEW_YORK, "daily", None, utc(2025, 3, 9, 7, 0)),
    (utc(2025, 11, 1, 12, 0), time(1, 30), NEW_YORK, "daily", None, utc(2025, 11, 2, 5, 30)),
    (utc(2025, 1, 13, 2, 0), time(8), ALMATY, "off", None, None),
]


@pytest.mark.parametrize(("now", "at", "zone", "frequency", "day", "expected"), NEXT_DUE_CASES)
def test_next_due(
    now: datetime,
    at: time,
    zone: ZoneInfo,
    frequency: str,
    day: int | None,
    expected: datetime | None,
) -> None:
    due = next_due(now, local_time=at, zone=zone, frequency=frequency, weekly_day=day)
    assert due == expected
    assert due is None or due.tzinfo is UTC


def test_next_due_accepts_any_aware_now() -> None:
    now = datetime(2025, 1, 13, 7, 0, tzinfo=ALMATY)
    assert next_due(now, local_time=time(8), zone=ALMATY, frequency="daily") == utc(
        2025, 1, 13, 3, 0
    )


def test_following_due_after_delivery_on_time() -> None:
    due = utc(2025, 1, 13, 3, 0)
    assert following_due(due, due, local_time=time(8), zone=ALMATY, frequency="daily") == utc(
        2025, 1, 14, 3, 0
    )


def test_following_due_after_downtime_sends_one_digest_then_continues() -> None:
    missed = utc(2025, 1, 13, 3, 0)
    back_up = utc(2025, 1, 16, 9, 15)  # three digests missed; one is sent now
    follow = following_due(missed, back_up, local_time=time(8), zone=ALMATY, frequency="daily")
    assert follow == utc(2025, 1, 17, 3, 0)


def test_following_due_never_repeats_a_due_instant_even_if_the_clock_lags() -> None:
    due = utc(2025, 1, 13, 3, 0)
    lagging = due - timedelta(minutes=2)
    assert following_due(due, lagging, local_time=time(8), zone=ALMATY, frequency="daily") == utc(
        2025, 1, 14, 3, 0
    )


def test_following_due_off_is_none() -> None:
    due = utc(2025, 1, 13, 3, 0)
    assert following_due(due, due, local_time=time(8), zone=ALMATY, frequency="off") is None


@pytest.mark.parametrize(
    ("frequency", "day"),
    [("weekly", None), ("weekly", 7), ("weekly", -1), ("hourly", None), ("", None)],
)
def test_check_frequency_refuses(frequency: str, day: int | None) -> None:
    with pytest.raises(ValueError):
        check_frequency(frequency, day)


def test_weekly_day_is_ignored_unless_weekly() -> None:
    assert check_frequency("daily", 3) == "daily"


def test_naive_inputs_are_refused() -> None:
    with pytest.raises(ValueError):
        next_due(datetime(2025, 1, 13), local_time=time(8), zone=ALMATY, frequency="daily")  # noqa: DTZ001
    with pytest.raises(ValueError):
        next_due(utc(2025, 1, 13), local_time=time(8, tzinfo=UTC), zone=ALMATY, frequency="daily")


def test_occurrence_on_a_skipped_calendar_day() -> None:
    """Samoa skipped 2011-12-30 entirely: that day's digest comes at the next midnight."""
    apia = ZoneInfo("Pacific/Apia")
    assert occurrence_on(date(2011, 12, 30), time(8), apia) == datetime(
        2011, 12, 31, tzinfo=apia
    ).astimezone(UTC)


@pytest.mark.parametrize(
    ("base", "count", "expected"),
    [
        (time(8), 3, ["07:50", "08:05", "08:20"]),
        (time(8), 4, ["07:35", "07:50", "08:05", "08:20"]),
        (time(8, 10), 1, ["08:05"]),
        (time(0), 3, ["23:50", "00:05", "00:20"]),
        (time(8), 0, []),
    ],
)
def test_spread_suggestions(base: time, count: int, expected: list[str]) -> None:
    assert [t.strftime("%H:%M") for t in spread_suggestions(base, count)] == expected


def test_spread_suggestions_refuses_impossible_counts() -> None:
    with pytest.raises(ValueError):
        spread_suggestions(time(8), 97)
    with pytest.raises(ValueError):
        spread_suggestions(time(8), -1)


@given(base=st.times(), count=st.integers(0, 96))
def test_spread_suggestions_are_distinct_quarter_offsets(base: time, count: int) -> None:
    times = spread_suggestions(base, count)
    assert len(times) == len(set(times)) == count
    assert all(t.minute in {5, 20, 35, 50} and t.second == 0 for t in times)
    assert times == spread_suggestions(base, count)


# --- the oracle: scan the clock minute by minute, as a ticker would see it --------------------


def _eligible(frequency: str, day: int | None) -> Callable[[date], bool]:
    return {
        "daily": lambda d: True,
        "weekdays": lambda d: d.weekday() < 5,
        "weekly": lambda d: d.weekday() == day,
    }[frequency]


def scan(
    after: datetime, inclusive: bool, at: time, zone: ZoneInfo, ok: Callable[[date], bool]
) -> datetime:
    """The first minute at which the local wall clock reaches `at` for the first time that
    day on an eligible date, at or after (or strictly after) `after`."""
    start = after.replace(second=0, microsecond=0) - timedelta(days=2)
    seen: set[datetime] = set()
    previous = start.astimezone(zone).replace(tzinfo=None)
    for minutes in range(1, 12 * 24 * 60):
        instant = start + timedelta(minutes=minutes)
        wall = instant.astimezone(zone).replace(tzinfo=None)
        for offset in range((wall.date() - previous.date()).days + 1):
            target = datetime.combine(previous.date() + timedelta(days=offset), at)
            if previous < target <= wall and target not in seen:
                seen.add(target)
                if ok(target.date()) and (instant > after or (inclusive and instant == after)):
                    return instant
        previous = wall
    raise AssertionError("no occurrence found")


# Hypothesis takes naive bounds and attaches the zone itself.
NOW = st.datetimes(
    min_value=datetime(2024, 1, 1),  # noqa: DTZ001
    max_value=datetime(2060, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)
MINUTE_TIMES = st.builds(time, st.integers(0, 23), st.integers(0, 59))
SCHEDULES = st.one_of(
    st.tuples(st.sampled_from(["daily", "weekdays"]), st.none()),
    st.tuples(st.just("weekly"), st.integers(0, 6)),
)
ZONES = st.one_of(
    st.sampled_from(
        [
            ALMATY,
            BERLIN,
            NEW_YORK,
            MOSCOW,
            ZoneInfo("Australia/Lord_Howe"),  # a half-hour DST shift
            ZoneInfo("America/Santiago"),  # transitions at midnight
            ZoneInfo("Asia/Kathmandu"),  # +05:45
        ]
    ),
    st.timezones(),
)


@settings(max_examples=30, deadline=None)
@given(now=NOW, at=MINUTE_TIMES, zone=ZONES, schedule=SCHEDULES)
def test_next_due_matches_the_minute_scan(
    now: datetime, at: time, zone: ZoneInfo, schedule: tuple[str, int | None]
) -> None:
    frequency, day = schedule
    due = next_due(now, local_time=at, zone=zone, frequency=frequency, weekly_day=day)
    assert due == scan(now, True, at, zone, _eligible(frequency, day))


@settings(max_examples=25, deadline=None)
@given(
    now=NOW,
    late=st.timedeltas(timedelta(0), timedelta(days=10)),
    at=MINUTE_TIMES,
    zone=ZONES,
    schedule=SCHEDULES,
)
def test_following_due_matches_the_minute_scan(
    now: datetime, late: timedelta, at: time, zone: ZoneInfo, schedule: tuple[str, int | None]
) -> None:
    frequency, day = schedule
    due = next_due(now, local_time=at, zone=zone, frequency=frequency, weekly_day=day)
    assert due is not None
    delivered = due + late
    follow = following_due(
        due, delivered, local_time=at, zone=zone, frequency=frequency, weekly_day=day
    )
    assert follow == scan(delivered, False, at, zone, _eligible(frequency, day))


@given(now=NOW, at=st.times(), zone=ZONES, schedule=SCHEDULES)
def test_next_due_is_soon_and_on_the_chosen_day(
    now: datetime, at: time, zone: ZoneInfo, schedule: tuple[str, int | None]
) -> None:
    frequency, day = schedule
    due = next_due(now, local_time=at, zone=zone, frequency=frequency, weekly_day=day)
    assert due is not None and due.tzinfo is UTC
    assert now <= due < now + timedelta(days=8)
    local = due.astimezone(zone)
    if local.time() == at:  # not moved by a DST gap
        assert _eligible(frequency, day)(local.date())
        if frequency == "weekdays":
            assert local.weekday() < 5
        if frequency == "weekly":
            assert local.weekday() == day
    else:  # moved to the end of a gap: the offset changes at that very instant
        assert (due - timedelta(seconds=1)).astimezone(zone).utcoffset() != local.utcoffset()


@given(now=NOW, at=st.times(), zone=ZONES, frequency=st.sampled_from(FREQUENCIES))
def test_following_is_strictly_later(
    now: datetime, at: time, zone: ZoneInfo, frequency: str
) -> None:
    day = 2 if frequency == "weekly" else None
    due = next_due(now, local_time=at, zone=zone, frequency=frequency, weekly_day=day)
    follow = following_due(now, now, local_time=at, zone=zone, frequency=frequency, weekly_day=day)
    if frequency == "off":
        assert due is None and follow is None
    else:
        assert due is not None and follow is not None
        assert now <= due <= follow and now < follow


# --- near the clock changes, where random instants almost never land -------------------------

DST_ZONES = [
    BERLIN,
    NEW_YORK,
    ZoneInfo("Australia/Lord_Howe"),
    ZoneInfo("America/Santiago"),
    ZoneInfo("America/Havana"),
    ZoneInfo("Pacific/Chatham"),
]


def transitions(zone: ZoneInfo, year: int) -> list[datetime]:
    """The instants (to the minute, UTC) at which `zone` changes its offset in `year`."""
    found = []
    day = utc(year, 1, 1)
    while day.year == year:
        low, high = day, day + timedelta(days=1)
        if low.astimezone(zone).utcoffset() != high.astimezone(zone).utcoffset():
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                middle = middle.replace(second=0, microsecond=0)
                if middle.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset():
                    low = middle if middle > low else low + timedelta(minutes=1)
                else:
                    high = middle
            found.append(high)
        day += timedelta(days=1)
    return found


@st.composite
def near_a_change(draw: st.DrawFn) -> tuple[datetime, time, ZoneInfo]:
    zone = draw(st.sampled_from(DST_ZONES))
    changes = transitions(zone, draw(st.integers(2024, 2040)))
    change = draw(st.sampled_from(changes))
    wall = change.astimezone(zone) + timedelta(minutes=draw(st.integers(-90, 90)))
    now = change - timedelta(minutes=draw(st.integers(0, 20 * 60)))
    return now, wall.time().replace(second=0, microsecond=0, tzinfo=None), zone


@settings(max_examples=60, deadline=None)
@given(case=near_a_change(), schedule=SCHEDULES)
def test_next_due_near_clock_changes_matches_the_minute_scan(
    case: tuple[datetime, time, ZoneInfo], schedule: tuple[str, int | None]
) -> None:
    now, at, zone = case
    frequency, day = schedule
    due = next_due(now, local_time=at, zone=zone, frequency=frequency, weekly_day=day)
    assert due == scan(now, True, at, zone, _eligible(frequency, day))
