"""Digest schedule arithmetic: when a chat's next digest is due, as an aware UTC instant.

The database keeps each chat's `next_due_at`; one ticker delivers every chat with
`next_due_at <= now`. The contract that makes restarts and downtime lose nothing and send
nothing twice:

- When a chat sets or changes its schedule, store `next_due(now, ...)`: the first occurrence
  at or after `now` (a tick at exactly 08:00:00 delivers the 08:00 digest; setting 08:00 at
  08:00:30 means tomorrow).
- After delivering (or deliberately skipping) a due digest, store
  `following_due(previous_due, now, ...)`: the first occurrence strictly after both. After
  downtime a chat whose time passed gets ONE digest, then continues on its schedule.

An occurrence is the chosen local wall time on an eligible local date. A wall time the clocks
skip that day (a DST gap) becomes the first instant after the gap; one they show twice (a DST
fold) is its first occurrence. Reading the time-zone database is the only I/O here.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Final, Literal, get_args
from zoneinfo import ZoneInfo

Frequency = Literal["daily", "weekdays", "weekly", "off"]
FREQUENCIES: Final[tuple[Frequency, ...]] = get_args(Frequency)

MONDAY: Final = 0
SUNDAY: Final = 6
_LAST_WEEKDAY: Final = 4  # Friday
# Enough local dates to reach any weekly occurrence, with room for a skipped calendar day.
_DAYS_AHEAD: Final = 9
_SUGGESTION_STEP: Final = 15
_SUGGESTION_OFFSET: Final = 5  # minutes past a quarter, so suggestions avoid :00 and :30
_MINUTES_PER_DAY: Final = 24 * 60


def check_frequency(frequency: str, weekly_day: int | None) -> Frequency:
    """The frequency as a `Frequency`; ValueError when unknown or weekly lacks a valid day.

    `weekly_day` (0 = Monday .. 6 = Sunday) is ignored unless the frequency is weekly, so a
    stored day may survive a switch to daily and back.
    """
    for known in FREQUENCIES:
        if frequency == known:
            if known == "weekly" and (weekly_day is None or not MONDAY <= weekly_day <= SUNDAY):
                raise ValueError(f"weekly needs a day 0..6, got {weekly_day!r}")
            return known
    raise ValueError(f"unknown frequency {frequency!r}")


def next_due(
    now: datetime,
    *,
    local_time: time,
    zone: ZoneInfo,
    frequency: str,
    weekly_day: int | None = None,
) -> datetime | None:
    """The first occurrence at or after `now` (aware UTC); None when the frequency is off."""
    return _first_occurrence(
        _utc(now),
        inclusive=True,
        local_time=local_time,
        zone=zone,
        frequency=check_frequency(frequency, weekly_day),
        weekly_day=weekly_day,
    )


def following_due(
    previous_due: datetime,
    now: datetime,
    *,
    local_time: time,
    zone: ZoneInfo,
    frequency: str,
    weekly_day: int | None = None,
) -> datetime | None:
    """The first occurrence strictly after both `previous_due` and `now`; None when off.

    Call it once a due digest was handled at `now`: however long the bot was down, the next
    due instant lies in the future, so the missed days collapse into the one just sent.
    """
    return _first_occurrence(
        max(_utc(previous_due), _utc(now)),
        inclusive=False,
        local_time=local_time,
        zone=zone,
        frequency=check_frequency(frequency, weekly_day),
        weekly_day=weekly_day,
    )


def occurrence_on(day: date, local_time: time, zone: ZoneInfo) -> datetime:
    """The instant (aware UTC) `local_time` happens on the local date `day` in `zone`.

    In a DST gap this is the end of the gap (the first instant that exists after the wall
    time); in a fold it is the first of the two instants.
    """
    if local_time.tzinfo is not None:
        raise ValueError("local_time must be a naive wall-clock time")
    wall = datetime.combine(day, local_time)
    first = wall.replace(tzinfo=zone, fold=0)
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall:
        return first.astimezone(UTC)
    return _end_of_gap(wall, zone)


def spread_suggestions(base: time, count: int) -> list[time]:
    """`count` times a quarter-hour apart around `base`, at :05/:20/:35/:50 past the hour.

    Onboarding offers these so chats do not all pick 08:00 and load the sender at once;
    deterministic (3 around 08:00 gives 07:50, 08:05, 08:20). Times wrap around midnight.
    """
    if not 0 <= count <= _MINUTES_PER_DAY // _SUGGESTION_STEP:
        raise ValueError(f"count must be within 0..96, got {count}")
    anchor = base.hour * 60 + base.minute // _SUGGESTION_STEP * _SUGGESTION_STEP
    first = anchor + _SUGGESTION_OFFSET - _SUGGESTION_STEP * (count // 2)
    minutes = [(first + _SUGGESTION_STEP * k) % _MINUTES_PER_DAY for k in range(count)]
    return [time(m // 60, m % 60) for m in minutes]


def _first_occurrence(
    after: datetime,
    *,
    inclusive: bool,
    local_time: time,
    zone: ZoneInfo,
    frequency: Frequency,
    weekly_day: int | None,
) -> datetime | None:
    if frequency == "off":
        return None
    for day in _eligible_days(after, zone, frequency, weekly_day):
        instant = occurrence_on(day, local_time, zone)
        if instant > after or (inclusive and instant == after):
            return instant
    raise AssertionError("no occurrence within a week")  # unreachable for valid input


def _eligible_days(
    after: datetime, zone: ZoneInfo, frequency: Frequency, weekly_day: int | None
) -> Iterator[date]:
    # Start a day early: in a gap that crosses midnight yesterday's occurrence can be today.
    start = after.astimezone(zone).date() - timedelta(days=1)
    for offset in range(_DAYS_AHEAD):
        day = start + timedelta(days=offset)
        weekday = day.weekday()
        if (
            frequency == "daily"
            or (frequency == "weekdays" and weekday <= _LAST_WEEKDAY)
            or (frequency == "weekly" and weekday == weekly_day)
        ):
            yield day


def _end_of_gap(wall: datetime, zone: ZoneInfo) -> datetime:
    """The transition instant that skips `wall`, to the second, by bisection in UTC.

    With fold=0 a skipped wall time reads with the offset before the transition and with
    fold=1 with the one after, so the transition lies between the two readings.
    """
    late = int(wall.replace(tzinfo=zone, fold=0).timestamp())
    early = int(wall.replace(tzinfo=zone, fold=1).timestamp())
    low, high = min(early, late), max(early, late)
    before = wall.replace(tzinfo=zone, fold=0).utcoffset()
    # Invariant: the offset at `low` is still the old one; at `high` it is the new one.
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).utcoffset() == before:
            low = middle
        else:
            high = middle
    return datetime.fromtimestamp(high, UTC)


def _utc(instant: datetime) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("expected an aware datetime")
    return instant.astimezone(UTC)
