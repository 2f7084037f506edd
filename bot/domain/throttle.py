"""Budgets per chat: a sliding window for groups, a token bucket with one notice for people."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import Enum


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


class Verdict(Enum):
    """What to do with one command or button press of a chat."""

    ANSWER = "answer"
    NOTICE = "notice"  # over budget: say "slow down", once, instead of answering
    SILENT = "silent"  # over budget and already told: nothing beyond stopping a button's spinner


@dataclass(frozen=True, slots=True)
class Budget:
    """A token bucket: up to `burst` requests at once, `per_minute` on average after that."""

    burst: int
    per_minute: float

    def __post_init__(self) -> None:
        if self.burst < 1 or self.per_minute <= 0:
            raise ValueError("burst must be positive and per_minute above zero")

    @property
    def per_second(self) -> float:
        return self.per_minute / 60


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float
    quiet: bool = False  # in an episode: over budget since the notice
    notice_at: float | None = None  # when a notice Telegram refused may be given again


class ChatBudget:
    """Per-chat budget with one "slow down" per episode; time is passed in.

    An episode starts with the first request over budget (it gets the notice) and lasts until
    the bucket is full again, so a flooder hears once and is then ignored for a while instead
    of being told again at every refill.
    """

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self._chats: dict[int, _Bucket] = {}

    def decide(self, key: int, now: float) -> Verdict:
        """Spend from `key`'s budget if it allows; what to do with the request either way."""
        bucket = self._refill(key, now)
        if bucket.quiet and bucket.tokens >= self.budget.burst:
            bucket.quiet, bucket.notice_at = False, None
        if not bucket.quiet and bucket.tokens >= 1:
            bucket.tokens -= 1
            return Verdict.ANSWER
        if not bucket.quiet:
            bucket.quiet = True
            return Verdict.NOTICE
        if bucket.notice_at is not None and now >= bucket.notice_at:
            bucket.notice_at = None
            return Verdict.NOTICE
        return Verdict.SILENT

    def notice_refused(self, key: int, now: float, retry_after: float) -> None:
        """Telegram answered the notice with 429: give it on the first request after the wait."""
        bucket = self._chats.get(key)
        if bucket is not None and bucket.quiet:
            bucket.notice_at = now + max(0.0, retry_after)

    def _refill(self, key: int, now: float) -> _Bucket:
        bucket = self._chats.get(key)
        if bucket is None:
            if len(self._chats) >= 10_000:
                self._forget_rested(now)
            bucket = self._chats[key] = _Bucket(float(self.budget.burst), now)
        elapsed = max(0.0, now - bucket.updated)  # a clock set back refills nothing
        bucket.tokens = min(self.budget.burst, bucket.tokens + elapsed * self.budget.per_second)
        bucket.updated = max(bucket.updated, now)
        return bucket

    def _forget_rested(self, now: float) -> None:
        """Drop chats whose bucket would be full by now: a fresh one is the same."""
        full = self.budget.burst / self.budget.per_second
        for key in [k for k, b in self._chats.items() if b.updated <= now - full]:
            del self._chats[key]
