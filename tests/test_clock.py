"""Clocks: a pinned instant for one-shot commands, a running one for the bot under `--now`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock, RunningClock, SystemClock
from bot.commands.common import running

PINNED = datetime(2025, 1, 14, 12, 0, tzinfo=ZoneInfo("Asia/Almaty"))


def test_a_running_clock_starts_at_its_instant_and_never_goes_back() -> None:
    clock = RunningClock(PINNED)
    readings = [clock.now() for _ in range(1000)]
    assert readings == sorted(readings)
    assert PINNED <= readings[0] < PINNED + timedelta(seconds=5)
    assert all(reading.tzinfo is UTC for reading in readings)


def test_running_keeps_real_clocks_and_sets_pinned_ones_going() -> None:
    system = SystemClock()
    assert running(system) is system
    moving = running(FixedClock(PINNED))
    assert isinstance(moving, RunningClock)
    assert moving.now() >= PINNED


def test_naive_instants_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        RunningClock(datetime(2025, 1, 14, 12, 0))  # noqa: DTZ001 - the point of the test
