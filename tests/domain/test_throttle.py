"""The sliding window that throttles commands in busy groups."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.throttle import SlidingWindow


def test_allows_up_to_the_limit_then_refuses_until_the_window_slides() -> None:
    window = SlidingWindow(limit=3, period=60)
    assert [window.allow(1, t) for t in (0, 1, 2, 3)] == [True, True, True, False]
    assert window.allow(2, 3), "another chat has its own budget"
    assert not window.allow(1, 59.9)
    assert window.allow(1, 60.0)


@given(st.lists(st.floats(min_value=0, max_value=600), max_size=200))
def test_never_more_than_the_limit_in_any_window(times: list[float]) -> None:
    window = SlidingWindow(limit=5, period=60)
    allowed = [t for t in sorted(times) if window.allow(7, t)]
    for start in allowed:
        assert sum(1 for t in allowed if start <= t < start + 60) <= 5
