"""A chat's quiet hours: when urgent alerts wait, read from `/quiet 22:00-07:00`.

Quiet hours are two local wall-clock times, the end exclusive; a start later than the end
crosses midnight, and an equal start and end is refused (it could mean "never" or "always").
They are kept as the chat's local clock times, so they follow the chat's time zone through DST;
`quiet_until` turns them into the aware-UTC instant a held alert may go out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from bot.domain.schedule import occurrence_on
from bot.domain.schedule_input import MAX_TIME_CHARS, parse_clock_time

# A hyphen, the dashes phones substitute for it, and the minus sign.
_DASH: Final = re.compile(r"\s*[-‐‑‒–—−]\s*")
MAX_QUIET_CHARS: Final = 2 * MAX_TIME_CHARS + 8


class QuietHoursError(ValueError):
    """Text that is not a quiet-hours range; `key` and `params` go to the translator."""

    def __init__(self, key: str, **params: str) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True, slots=True)
class QuietHours:
    """Local clock times: `start` inclusive, `end` exclusive; start > end crosses midnight."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start == self.end:
            raise QuietHoursError("quiet.empty_range")
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("quiet hours are naive local clock times")

    def covers(self, wall: time) -> bool:
        """Whether the local clock time `wall` falls within the quiet hours."""
        if self.start < self.end:
            return self.start <= wall < self.end
        return wall >= self.start or wall < self.end

    def stored(self) -> tuple[str, str]:
        """The ("HH:MM", "HH:MM") pair kept in Chat.quiet_start and Chat.quiet_end."""
        return f"{self.start:%H:%M}", f"{self.end:%H:%M}"


def parse_quiet_hours(text: str) -> QuietHours:
    """`22:00-07:00`, `22-7`, `22:00–07:00`, `22.00-07.00`: two clock times joined by a dash.

    Raises QuietHoursError: `quiet.bad_range` when the text is not two times joined by a dash,
    `quiet.bad_time` (with `time`) when a side is not a clock time, `quiet.empty_range` when
    both are the same.
    """
    if len(text) > MAX_QUIET_CHARS:
        raise QuietHoursError("quiet.bad_range")
    parts = _DASH.split(unicodedata.normalize("NFKC", text).strip())
    if len(parts) != 2 or not all(parts):  # one dash between two times
        raise QuietHoursError("quiet.bad_range")
    return QuietHours(_side(parts[0]), _side(parts[1]))


def quiet_hours_of(start: str | None, end: str | None) -> QuietHours | None:
    """The quiet hours stored on a chat, or None when it has none (either side missing)."""
    if start is None or end is None:
        return None
    return QuietHours(time.fromisoformat(start), time.fromisoformat(end))


def quiet_until(quiet: QuietHours | None, *, now: datetime, zone: ZoneInfo) -> datetime | None:
    """None when `now` (aware UTC) is outside the quiet hours in `zone`; else when they end.

    The end is an aware-UTC instant after `now`: an end the clocks skip (a DST gap) is the end
    of the gap, and an end the clocks show twice (a fold) is the first one still ahead.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("expected an aware datetime")
    if quiet is None:
        return None
    local = now.astimezone(zone)
    wall = local.time().replace(tzinfo=None, fold=0)
    if not quiet.covers(wall):
        return None
    day = local.date()
    if quiet.start > quiet.end and wall >= quiet.start:
        day += timedelta(days=1)
    ends = occurrence_on(day, quiet.end, zone)
    if ends <= now:
        # The second pass through a fold: the end's first occurrence is already behind us.
        ends = datetime.combine(day, quiet.end).replace(tzinfo=zone, fold=1).astimezone(UTC)
    return ends


def _side(text: str) -> time:
    parsed = parse_clock_time(text)
    if parsed is None:
        raise QuietHoursError("quiet.bad_time", time=text)
    return parsed
