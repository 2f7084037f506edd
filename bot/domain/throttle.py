"""A sliding-window budget per key: how busy groups are kept under Telegram's per-group limit."""

from __future__ import annotations

from collections import deque


class SlidingWindow:
    """At most `limit` events per `period` seconds for each key; time is passed in."""

    def __init__(self, limit: int, period: float) -> None:
        if limit < 1 or period <= 0:
            raise ValueError("limit must be positive and period above zero")
        self.limit = limit
        self.period = period
        self._events: dict[int, deque[float]] = {}

    def allow(self, key: int, now: float) -> bool:
        """Record an event for `key` if the budget allows it; whether it did."""
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.period:
            events.popleft()
        if len(events) >= self.limit:
            return False
        events.append(now)
        if len(self._events) > 10_000:
            self._forget_idle(now)
        return True

    def _forget_idle(self, now: float) -> None:
        idle = [
            key
            for key, events in self._events.items()
            if not events or events[-1] <= now - self.period
        ]
        for key in idle:
            del self._events[key]
