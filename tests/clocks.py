"""A clock the tests move by hand: digests fall due, throttle windows and leases expire."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FixedClock


class SteppingClock(FixedClock):
    """A FixedClock that a test moves forward; nothing sleeps."""

    def advance(self, **delta: float) -> None:
        self.set(self.now() + timedelta(**delta))
