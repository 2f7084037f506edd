"""When an alert's event starts and ends, as a notice writes it, in Kazakhstan local time.

«9 декабря с 10:00 до 18:00», «9 желтоқсанда 10:00-ден 18:00-ге дейін», «on 12 December from
9:00 to 17:00», «on December 10», «завтра», «ертең», «tonight», «с 15 по 17 декабря»,
«14 желтоқсанға дейін», «до 15.12.2026», «с 06:00», «в 14:00», «к 20:00», «с 9 до 17
часов». Numeric dates (15.12.2026, 15.12) and month-first English dates are rewritten as
«15 december» first, so a date is never read as a time of day (15.12 is not 15:12). A year,
when written («10 декабря 2025», «в 2025 году 10 декабря», «2025 жылғы 10 желтоқсан»), is
kept; days without one are the nearest such day around `published`, and relative days count
from the local day it was published. A day without a time of day starts at midnight and ends
at the next; a time range that ends before it starts ends the next day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Final

from bot.domain.kazakh_latin import latin_spellings
from bot.domain.local_dates import ENGLISH_MONTH_NAMES, KAZAKH_MONTHS, MONTHS

_FULL_MONTHS: Final = {
    form: n for form, n in MONTHS.items() if len(form) > 3 or form in ("мая", "май", "may")
} | {
    # Kazakh written in Latin letters: «9 jeltoqsanda».
    spelling: n
    for n, name in enumerate(KAZAKH_MONTHS, start=1)
    for spelling in latin_spellings(name)
}
_MONTH: Final = "|".join(sorted(_FULL_MONTHS, key=len, reverse=True))
# «15.12.2026», «15.12.26», «15.12» (day and month of two digits each without a year: «9.30»
# and «10.00» are times of day), never inside a longer run of digits and dots.
_NUMERIC_DATE: Final = re.compile(
    r"(?<![\d.:])(?P<d>[12]\d|3[01]|0[1-9]|(?P<short>[1-9]))\.(?P<m>0[1-9]|1[0-2])"
    r"(?:\.(?P<y>(?:20)?\d\d))?(?![\d:]|\.\d)"
)
# «December 10», «December 10, 2026»: English writes the month first.
_MONTH_FIRST: Final = re.compile(
    rf"(?<!\w)(?P<m>{'|'.join(ENGLISH_MONTH_NAMES)})\s+(?P<d>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
    r"(?:,?\s+(?P<y>20\d\d))?(?![\d:])"
)
# «в 2025 году 10 декабря», «2025 жылғы 10 желтоқсан»: the year before the day.
_YEAR_FIRST: Final = re.compile(
    rf"(?<!\d)(?P<y>20\d\d)\s*(?:году|года|г\.|жылғы|жылы|jylǵy|jylgy|jyly|year)?,?\s+"
    rf"(?P<date>(?:[12]\d|3[01]|0?[1-9])\s+(?:{_MONTH})\w*)"
)
# Kazakh case endings after a month name: «желтоқсанда», «желтоқсанға», «желтоқсаннан».
_KK_CASE: Final = (
    r"(?:дағы|дегі|нан|нен|дан|ден|тан|тен|да|де|та|те|ға|ге|қа|ке|ы|і"
    r"|daǵy|dagy|nan|nen|dan|den|tan|ten|da|de|ta|te|ǵa|ğa|ga|ge|qa|ke)?"
)
_DATE: Final = (
    rf"(?P<{{d}}>[12]\d|3[01]|0?[1-9])\s+(?P<{{m}}>{_MONTH}){_KK_CASE}(?!\w)"
    r"(?:\s+(?P<{y}>20\d\d)(?!\d)(?:\s*(?:года|г\.|жыл\w*|jyl\w*))?)?"
)
_CLOCK: Final = r"(?P<{h}>[01]?\d|2[0-3])[:.](?P<{mi}>[0-5]\d)(?!\d)"
_KK_FROM: Final = r"(?:\s*-?\s*(?:ден|дан|тен|тан|нен|нан|den|dan|ten|tan|nen|nan))"
_KK_UNTIL: Final = r"(?:дейін|deıin|deiin|deyin|dein)"

_DAY_RANGE: Final = re.compile(
    r"(?<!\d)(?P<d1>[12]\d|3[01]|0?[1-9])\s*(?:-|–|—|по|to|and|және)\s*"
    + _DATE.format(d="d2", m="m2", y="y2")
)
_UNTIL_DAY: Final = re.compile(
    rf"(?:(?:до|until|till)\s+{_DATE.format(d='d', m='m', y='y')})|"
    rf"(?:(?<!\d){_DATE.format(d='d2', m='m2', y='y2')}\s+{_KK_UNTIL})"
)
_ONE_DAY: Final = re.compile(r"(?<!\d)" + _DATE.format(d="d", m="m", y="y"))
_CLOCK_RANGE: Final = re.compile(
    _CLOCK.format(h="h1", mi="m1")
    + rf"{_KK_FROM}?\s*(?:до|to|until|till|-|–|—)?\s*"
    + _CLOCK.format(h="h2", mi="m2")
)
_CLOCK_FROM: Final = re.compile(
    rf"(?:(?:^|\s)(?:с|со|в|во|since|from|at|сағат)\s+{_CLOCK.format(h='h', mi='m')})|"
    rf"(?:{_CLOCK.format(h='h2', mi='m2')}{_KK_FROM}\s+(?:бастап|bastap))"
)
# «с 9 до 17 часов»: whole hours, said to be hours.
_HOUR_RANGE: Final = re.compile(
    r"(?:^|\s)(?:с|со|from)\s+(?P<h1>[01]?\d|2[0-3])\s*(?:до|to|-|–)\s*(?P<h2>[01]?\d|2[0-3])"
    r"\s*(?:час\w*|ч\.|ч(?!\w)|h(?!\w)|hours|o'clock)"
)
_CLOCK_BY: Final = re.compile(rf"(?:^|\s)(?:к|by|до|until)\s+{_CLOCK.format(h='h', mi='m')}")
_TOMORROW: Final = re.compile(r"(?<!\w)(?:завтра|ертең|erteń|erteñ|erten|tomorrow)(?!\w)")
_TODAY: Final = re.compile(r"(?<!\w)(?:сегодня|бүгін|búgin|bügin|bugin|today|tonight)(?!\w)")
# A day more than this far before publication is next year's («5 января» in December).
_YEAR_BACK: Final = timedelta(days=60)


@dataclass(frozen=True, slots=True)
class EventTimes:
    """When the event starts and ends (aware UTC), each None when the text does not say."""

    starts_at: datetime | None = None
    ends_at: datetime | None = None


def read_event_times(text: str, *, published: datetime, zone: tzinfo) -> EventTimes:
    """The start and end of the event a notice announces (`text` lowercased or not)."""
    today = published.astimezone(zone).date()
    low = _spelled_dates(text.lower())
    first, last = _days(low, today)
    clocks = _clocks(low)
    if first is None and last is None and clocks == (None, None):
        return EventTimes()
    day = first or today
    start_clock, end_clock = clocks
    starts = _at(day, start_clock or time(0), zone) if first or start_clock else None
    if end_clock is not None and last is None:
        ends = _at(day, end_clock, zone)
        if starts is not None and ends <= starts:
            ends += timedelta(days=1)
    elif last is not None or first is not None:
        ends = _at((last or day) + timedelta(days=1), time(0), zone)
    else:
        ends = None
    return EventTimes(starts, ends)


def _spelled_dates(low: str) -> str:
    """The text with numeric and month-first dates written day first with the month's name,
    and a year written before the day moved after it: «до 15.12.2026» is «до 15 december
    2026», «on december 10» is «on 10 december», «в 2025 году 10 декабря» is «в 10 декабря
    2025»."""
    low = _NUMERIC_DATE.sub(_spell_numeric, low)
    low = _MONTH_FIRST.sub(lambda m: " ".join(filter(None, (m["d"], m["m"], m["y"]))), low)
    return _YEAR_FIRST.sub(lambda m: f"{m['date']} {m['y']}", low)


def _spell_numeric(match: re.Match[str]) -> str:
    if match["short"] and not match["y"]:
        return match[0]  # «9.05» is a time of day
    month = ENGLISH_MONTH_NAMES[int(match["m"]) - 1]
    year = match["y"]
    if year is None:
        return f"{int(match['d'])} {month}"
    return f"{int(match['d'])} {month} {year if len(year) == 4 else '20' + year}"


def _days(low: str, today: date) -> tuple[date | None, date | None]:
    """The first day of the event and its last one, when the text names them."""
    if match := _DAY_RANGE.search(low):
        month, year = _FULL_MONTHS[match["m2"]], match["y2"]
        return (
            _date(today, month, int(match["d1"]), year),
            _date(today, month, int(match["d2"]), year),
        )
    until = _UNTIL_DAY.search(low)
    last = None
    if until is not None:
        side = "" if until["d"] else "2"
        last = _date(
            today, _FULL_MONTHS[until[f"m{side}"]], int(until[f"d{side}"]), until[f"y{side}"]
        )
    until_at = -1 if until is None else until.start("d" if until["d"] else "d2")
    days = (m for m in _ONE_DAY.finditer(low) if m.start() != until_at)
    first = None
    if (one := next(days, None)) is not None:
        first = _date(today, _FULL_MONTHS[one["m"]], int(one["d"]), one["y"])
    elif _TOMORROW.search(low):
        first = today + timedelta(days=1)
    elif _TODAY.search(low):
        first = today
    if first is not None and last is not None and last < first:
        first = None
    return first, last


def _clocks(low: str) -> tuple[time | None, time | None]:
    if match := _CLOCK_RANGE.search(low):
        return _time(match["h1"], match["m1"]), _time(match["h2"], match["m2"])
    if match := _HOUR_RANGE.search(low):
        return _time(match["h1"], "0"), _time(match["h2"], "0")
    start = end = None
    if match := _CLOCK_FROM.search(low):
        start = _time(match["h"], match["m"]) if match["h"] else _time(match["h2"], match["m2"])
    if match := _CLOCK_BY.search(low):
        end = _time(match["h"], match["m"])
    return start, end


def _time(hour: str, minute: str) -> time:
    return time(int(hour), int(minute))


def _date(today: date, month: int, day: int, year: str | None) -> date | None:
    """The day `day` of `month` of `year` when written, else nearest after `today` less
    `_YEAR_BACK`."""
    if year is not None:
        try:
            return date(int(year), month, day)
        except ValueError:
            return None
    for candidate in (today.year, today.year + 1):
        try:
            found = date(candidate, month, day)
        except ValueError:
            return None
        if found >= today - _YEAR_BACK:
            return found
    return None


def _at(day: date, clock: time, zone: tzinfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)
