"""Numbers as news writes them: "1 200", "1,200", "1,5", "2025, 14", "13.01.2025", "15:00".

A run of digits and separators may hold one number, several, a numeric date or a clock time.
Spaces and commas group thousands only before exactly three digits, so "1 200" is 1200 and
"2025 14" two numbers; a comma or a point before other digits is a decimal one.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

SPACES: Final = " \u00a0\u202f\u2009"
_PARTS: Final = re.compile(r"\d+|[^\d]")


class Number(NamedTuple):
    """A number of a text and where it was written."""

    value: float
    start: int
    end: int
    plain: bool  # digits only, no separators: a year can be written only so
    comma_thousands: bool  # "1,250": thousands in English, 1.25 before "млрд"


class Day(NamedTuple):
    """A calendar day named in a text, without its year."""

    month: int
    day: int


def numbers(run: str, offset: int) -> list[Number | Day]:
    """The numbers of a run of digits and separators starting at `offset` of its text, and
    the day of a numeric date; clock times are skipped."""
    if run.isdigit():  # the usual run: one number, nothing else
        return [Number(float(run), offset, offset + len(run), True, False)]
    parts = _PARTS.findall(run)
    found: list[Number | Day] = []
    at, i = offset, 0
    while i < len(parts):
        first = parts[i]
        if not first.isdigit():
            at, i = at + len(first), i + 1
            continue
        end = _date_or_time_end(parts, i)
        if end:  # 13.01.2025 and 15:00 carry no quantity
            if parts[i + 1] == "." and 1 <= int(first) <= 31 and 1 <= int(parts[i + 2]) <= 12:
                found.append(Day(int(parts[i + 2]), int(first)))
            at, i = at + sum(map(len, parts[i:end])), end
            continue
        end = i + 1
        digits = first
        while len(first) <= 3 and _group_follows(parts, end, SPACES):
            digits, end = digits + parts[end + 1], end + 2
        comma = len(first) <= 3 and end == i + 1 and _group_follows(parts, end, ",")
        while len(first) <= 3 and _group_follows(parts, end, ","):
            digits, end = digits + parts[end + 1], end + 2
        fraction = ""
        if end + 1 < len(parts) and parts[end] in ".," and parts[end + 1].isdigit():
            fraction, end = parts[end + 1], end + 2
        value = float(f"{digits}.{fraction}") if fraction else float(digits)
        size = sum(map(len, parts[i:end]))
        found.append(Number(value, at, at + size, end == i + 1, comma))
        at, i = at + size, end
    return found


def _group_follows(parts: list[str], at: int, separators: str) -> bool:
    """Whether parts[at] is one of `separators` followed by a group of exactly three digits."""
    return (
        at + 1 < len(parts)
        and parts[at] in separators
        and len(parts[at + 1]) == 3
        and parts[at + 1].isdigit()
    )


def _date_or_time_end(parts: list[str], i: int) -> int:
    """Where a numeric date (13.01.2025) or a clock time (15:00) starting at parts[i] ends;
    0 when none starts there."""
    if i + 2 >= len(parts) or len(parts[i]) > 2 or not parts[i + 2].isdigit():
        return 0
    if parts[i + 1] == ":":
        return i + 3 if len(parts[i + 2]) == 2 else 0
    if (
        parts[i + 1] == "."
        and len(parts[i + 2]) <= 2
        and i + 4 < len(parts)
        and parts[i + 3] == "."
        and len(parts[i + 4]) in (2, 4)
    ):
        return i + 5
    return 0
