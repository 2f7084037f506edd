"""Telegram's documented send limits, with an injectable clock so tests never sleep.

Private chats: about one message per second, with a small burst (a token bucket).
Groups and channels: 20 messages per minute. Overall: 30 messages per second, or 1,000 per
second for messages sent with allow_paid_broadcast.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FloodLimits:
    enabled: bool = True
    private_burst: int = 3
    private_per_second: float = 1.0
    group_per_minute: int = 20
    global_per_second: int = 30
    paid_per_second: int = 1000


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class FloodControl:
    """Decides whether a send is allowed now and, if not, after how many seconds."""

    limits: FloodLimits
    clock: Callable[[], float]
    _private: dict[int, _Bucket] = field(default_factory=dict)
    _groups: dict[int, deque[float]] = field(default_factory=dict)
    _overall: deque[float] = field(default_factory=deque)

    def retry_after(self, chat_id: int, private: bool, paid: bool = False) -> int | None:
        """Seconds to wait (at least 1) if this send would break a limit, else None."""
        if not self.limits.enabled:
            return None
        now = self.clock()
        waits = [self._overall_wait(now, paid)]
        if private:
            waits.append(self._private_wait(chat_id, now))
        else:
            waits.append(self._group_wait(chat_id, now))
        worst = max(waits)
        return max(1, math.ceil(worst)) if worst > 0 else None

    def record(self, chat_id: int, private: bool) -> None:
        """Count one successful send."""
        now = self.clock()
        self._overall.append(now)
        if private:
            bucket = self._refill(chat_id, now)
            bucket.tokens -= 1
        else:
            self._groups.setdefault(chat_id, deque()).append(now)

    def _refill(self, chat_id: int, now: float) -> _Bucket:
        burst = float(self.limits.private_burst)
        bucket = self._private.setdefault(chat_id, _Bucket(burst, now))
        elapsed = max(0.0, now - bucket.updated)
        bucket.tokens = min(burst, bucket.tokens + elapsed * self.limits.private_per_second)
        bucket.updated = now
        return bucket

    def _private_wait(self, chat_id: int, now: float) -> float:
        bucket = self._refill(chat_id, now)
        if bucket.tokens >= 1:
            return 0.0
        return (1 - bucket.tokens) / self.limits.private_per_second

    def _group_wait(self, chat_id: int, now: float) -> float:
        window = self._groups.setdefault(chat_id, deque())
        while window and window[0] <= now - 60:
            window.popleft()
        if len(window) < self.limits.group_per_minute:
            return 0.0
        return window[0] + 60 - now

    def _overall_wait(self, now: float, paid: bool) -> float:
        while self._overall and self._overall[0] <= now - 1:
            self._overall.popleft()
        limit = self.limits.paid_per_second if paid else self.limits.global_per_second
        if len(self._overall) < limit:
            return 0.0
        return self._overall[-limit] + 1 - now
