"""When to poll a source next: its interval after a success, backing off after failures."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

PAUSE_AFTER_FAILURES: Final = 8
MAX_BACKOFF: Final = timedelta(hours=12)


def next_poll_after_success(now: datetime, *, poll_minutes: int) -> datetime:
    return now + timedelta(minutes=poll_minutes)


def next_poll_after_failure(
    now: datetime, *, poll_minutes: int, failures: int, retry_after_seconds: float | None = None
) -> datetime:
    """Doubling the interval per consecutive failure (capped), and never before Retry-After."""
    exponent = max(failures - 1, 0)
    factor: int = 2 ** min(exponent, 20)
    backoff = min(timedelta(minutes=poll_minutes) * factor, MAX_BACKOFF)
    if retry_after_seconds is not None:
        backoff = max(backoff, timedelta(seconds=min(retry_after_seconds, 86_400)))
    return now + backoff


def should_pause(failures: int) -> bool:
    """A source that keeps failing is paused (and the operators told) instead of hammered."""
    return failures >= PAUSE_AFTER_FAILURES
