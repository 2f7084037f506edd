"""Dates as Russian, Kazakh and English news sites write them for people, not machines.

«12 марта 2025», «12.03.2025», «2025 жылғы 12 наурыз», «12 наурыз 2025», «12 March 2025»,
«March 12, 2025», ISO «2025-03-12T14:05+05:00»; relative days «сегодня, 14:05», «вчера»,
«бүгін», «кеше», «today»; a year left out («12 марта, 14:05») is the latest such day not after
tomorrow. A time of day written next to the date, before or after it («14:05, 12.03.2025»,
«24 сен 2018 19:42:40 +0300»), is kept. Relative days and missing years need `now`, and local
times need the zone the site writes in, so both are arguments: the result is aware UTC, a
date without a time being the start of that day in the zone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Final

_MONTH_FORMS: Final = (
    # Russian: genitive (as dates write it), nominative, abbreviations; Kazakh; English.
    ("января январь янв", "қаңтар", "january jan"),
    ("февраля февраль фев февр", "ақпан", "february feb"),
    ("марта март мар", "наурыз", "march mar"),
    ("апреля апрель апр", "сәуір", "april apr"),
    ("мая май", "мамыр", "may"),
    ("июня июнь июн", "маусым", "june jun"),
    ("июля июль июл", "шілде", "july jul"),
    ("августа август авг", "тамыз", "august aug"),
    ("сентября сентябрь сен сент", "қыркүйек", "september sep sept"),
    ("октября октябрь окт", "қазан", "october oct"),
    ("ноября ноябрь ноя нояб", "қараша", "november nov"),
    ("декабря декабрь дек", "желтоқсан", "december dec"),
)
MONTHS: Final[dict[str, int]] = {
    form: number
    for number, languages in enumerate(_MONTH_FORMS, start=1)
    for forms in languages
    for form in forms.split()
}
# Each month's Kazakh name and full English name, January first (bot.domain.alert_times).
KAZAKH_MONTHS: Final = tuple(kazakh for _, kazakh, _ in _MONTH_FORMS)
ENGLISH_MONTH_NAMES: Final = tuple(english.split()[0] for _, _, english in _MONTH_FORMS)
_ENGLISH_MONTHS: Final = {
    form: MONTHS[form] for _, _, forms in _MONTH_FORMS for form in forms.split()
}
# Days back from today.
RELATIVE_DAYS: Final[dict[str, int]] = {
    "сегодня": 0,
    "бүгін": 0,
    "today": 0,
    "вчера": 1,
    "кеше": 1,
    "yesterday": 1,
}


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))  # longest first: «марта» before «мар»


_MONTH: Final = rf"(?P<month>{_alternatives(MONTHS)})\.?(?:да|де|та|те)?(?!\w)"
_DAY: Final = r"(?P<day>0?[1-9]|[12]\d|3[01])"
_YEAR: Final = r"(?P<year>(?:19|20)\d\d)(?!\d)"
_YEAR_WORD: Final = r"(?:\s*(?:г\.|года|год|ж\.|жылғы|жылы)(?!\w))?"
_CLOCK: Final = r"(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?(?!\d)"
_OFFSET: Final = r"(?:\s*(?P<offset>Z|UTC|GMT|[+-](?:0\d|1[0-4]):?[0-5]\d)(?![\w:]))?"
_PATTERNS: Final = (
    # 12 марта 2025 г. / 12 наурыз 2025 / 12 March 2025 / 24 сен (year from `now`)
    re.compile(rf"(?<![\d.]){_DAY}\s+{_MONTH}(?:,?\s+{_YEAR}{_YEAR_WORD})?", re.I),
    # 2025 жылғы 12 наурыз / 2025 г. 12 марта
    re.compile(rf"(?<![\d.]){_YEAR}{_YEAR_WORD}\s+{_DAY}\s+{_MONTH}", re.I),
    # March 12, 2025
    re.compile(
        rf"(?<!\w)(?P<month>{_alternatives(_ENGLISH_MONTHS)})\.?\s+{_DAY}(?:st|nd|rd|th)?,?\s+{_YEAR}",
        re.I,
    ),
    # 12.03.2025
    re.compile(rf"(?<![\d.]){_DAY}\.(?P<number>0?[1-9]|1[0-2])\.{_YEAR}(?!\.\d)"),
    # 2025-03-12, 2025-03-12T14:05:00+05:00
    re.compile(
        rf"(?<![\d-]){_YEAR}-(?P<number>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])(?!\d)"
        rf"(?:[T ]{_CLOCK}(?:\.\d+)?{_OFFSET})?"
    ),
    re.compile(rf"(?<!\w)(?P<relative>{_alternatives(RELATIVE_DAYS)})(?!\w)", re.I),
)
_TIME_AFTER: Final = re.compile(rf"\s*(?:,|в|at|\||—|-)?\s*{_CLOCK}{_OFFSET}", re.I)
_TIME_BEFORE: Final = re.compile(rf"{_CLOCK}\s*(?:,|\||—|-|/)?\s*$")
_BEFORE_WINDOW: Final = 16  # enough for "14:05:59 | "
_ALONE_MAX: Final = 40  # a text this short may be a relative day alone; longer ones never are
_EDGE_PUNCTUATION: Final = " \t\n,.;:|—-()[]«»\"'"


@dataclass(frozen=True, slots=True)
class _Clock:
    hour: int
    minute: int
    second: int
    offset: tzinfo | None


def find_local_date(text: str, *, now: datetime | None, zone: tzinfo) -> datetime | None:
    """The first date written in `text`, as aware UTC; None when there is none.

    In running text «вчера» and «кеше» are words like any other, so a relative day counts
    only with a time next to it, or as the whole text (a date element's). Without `now`,
    relative days and dates without a year are skipped.
    """
    # Each pattern's next match, searched again only once passed: a long text of dates that
    # do not resolve («12 марта» without `now`) costs one pass per pattern, not one per date.
    upcoming = {pattern: pattern.search(text) for pattern in _PATTERNS}
    while matches := [match for match in upcoming.values() if match is not None]:
        found = min(matches, key=lambda match: (match.start(), -len(match.group())))
        if (when := _resolve(found, text, now=now, zone=zone)) is not None:
            return when
        for pattern, match in upcoming.items():
            if match is not None and match.start() <= found.start():
                upcoming[pattern] = pattern.search(text, found.start() + 1)
    return None


def _resolve(
    match: re.Match[str], text: str, *, now: datetime | None, zone: tzinfo
) -> datetime | None:
    groups = match.groupdict()
    clock = _clock(groups) if groups.get("hour") else _clock_beside(text, match)
    day: date | None
    if groups.get("relative"):
        alone = len(text) <= _ALONE_MAX and text.strip(_EDGE_PUNCTUATION) == match.group()
        if now is None or (clock is None and not alone):
            return None
        day = now.astimezone(zone).date() - timedelta(days=RELATIVE_DAYS[match["relative"].lower()])
    else:
        day = _day(groups, now=now, zone=zone)
    return None if day is None else _aware(day, clock, zone)


def _day(groups: dict[str, str | None], *, now: datetime | None, zone: tzinfo) -> date | None:
    number = groups.get("number")
    month = int(number) if number else MONTHS[(groups["month"] or "").lower()]
    day = int(groups["day"] or 0)
    if groups.get("year"):
        return _valid(int(groups["year"] or 0), month, day)
    if now is None:
        return None
    today = now.astimezone(zone).date()
    this_year = _valid(today.year, month, day)
    if this_year is not None and this_year <= today + timedelta(days=1):
        return this_year
    return _valid(today.year - 1, month, day)


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # 31 апреля
        return None


def _clock_beside(text: str, match: re.Match[str]) -> _Clock | None:
    after = _TIME_AFTER.match(text, match.end())
    if after is not None:
        return _clock(after.groupdict())
    before = _TIME_BEFORE.search(text, max(0, match.start() - _BEFORE_WINDOW), match.start())
    return None if before is None else _clock(before.groupdict())


def _clock(groups: dict[str, str | None]) -> _Clock:
    return _Clock(
        hour=int(groups["hour"] or 0),
        minute=int(groups["minute"] or 0),
        second=int(groups.get("second") or 0),
        offset=_offset(groups.get("offset")),
    )


def _offset(value: str | None) -> tzinfo | None:
    if not value:
        return None
    if value.upper() in ("Z", "UTC", "GMT"):
        return UTC
    digits = value[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:])
    return timezone(timedelta(minutes=-minutes if value[0] == "-" else minutes))


def _aware(day: date, clock: _Clock | None, zone: tzinfo) -> datetime:
    if clock is None:
        return datetime.combine(day, time(), zone).astimezone(UTC)
    moment = time(clock.hour, clock.minute, clock.second)
    return datetime.combine(day, moment, clock.offset or zone).astimezone(UTC)
