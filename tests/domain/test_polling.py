"""Polling schedule of sources: intervals, backoff, Retry-After, pausing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.polling import (
    MAX_BACKOFF,
    next_poll_after_failure,
    next_poll_after_success,
    should_pause,
)

NOW = datetime(2025, 1, 14, 8, 0, tzinfo=UTC)


def test_success_waits_the_interval() -> None:
    assert next_poll_after_success(NOW, poll_minutes=30) == NOW + timedelta(minutes=30)


def test_failures_double_the_wait_and_retry_after_is_honoured() -> None:
    waits = [next_poll_after_failure(NOW, poll_minutes=10, failures=n) - NOW for n in (1, 2, 3)]
    assert waits == [timedelta(minutes=10), timedelta(minutes=20), timedelta(minutes=40)]
    later = next_poll_after_failure(NOW, poll_minutes=10, failures=1, retry_after_seconds=3600)
    assert later == NOW + timedelta(hours=1)


def test_pause_after_repeated_failures() -> None:
    assert not should_pause(7)
    assert should_pause(8)


@given(st.integers(min_value=1, max_value=1440), st.integers(min_value=0, max_value=10_000))
def test_backoff_is_bounded_and_never_shorter_than_the_interval(
    minutes: int, failures: int
) -> None:
    wait = next_poll_after_failure(NOW, poll_minutes=minutes, failures=failures) - NOW
    assert (
        min(timedelta(minutes=minutes), MAX_BACKOFF)
        <= wait
        <= max(MAX_BACKOFF, timedelta(minutes=minutes))
    )
