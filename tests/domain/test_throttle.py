"""Budgets per chat: the sliding window of busy groups, the token bucket of private chats."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.domain.throttle import Budget, ChatBudget, SlidingWindow, Verdict


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


BUDGET = Budget(burst=3, per_minute=20)  # a token every 3 s
A, N, S = Verdict.ANSWER, Verdict.NOTICE, Verdict.SILENT


@pytest.mark.parametrize(
    ("times", "expected"),
    [
        pytest.param([0, 0, 0], [A, A, A], id="a burst is answered"),
        pytest.param([0, 0, 0, 0, 0, 0], [A, A, A, N, S, S], id="then one notice and silence"),
        pytest.param([0, 3, 6, 9, 12, 15], [A] * 6, id="the average pace is answered forever"),
        pytest.param([0, 0, 0, 0, 3, 8.9], [A, A, A, N, S, S], id="silent until the bucket fills"),
        pytest.param([0, 0, 0, 0, 9, 9, 9, 9], [A, A, A, N, A, A, A, N], id="a new episode"),
        pytest.param([10, 0, 0, 0], [A, A, A, N], id="a clock set back refills nothing"),
    ],
)
def test_chat_budget(times: list[float], expected: list[Verdict]) -> None:
    budget = ChatBudget(BUDGET)
    assert [budget.decide(1, t) for t in times] == expected


def test_chats_have_their_own_budgets() -> None:
    budget = ChatBudget(BUDGET)
    assert [budget.decide(1, 0) for _ in range(4)] == [A, A, A, N]
    assert budget.decide(2, 0) is A


def test_a_notice_telegram_refused_is_given_after_the_wait() -> None:
    budget = ChatBudget(BUDGET)
    assert [budget.decide(1, 0) for _ in range(4)] == [A, A, A, N]
    budget.notice_refused(1, 0, retry_after=1)
    assert [budget.decide(1, t) for t in (0.5, 1.0, 1.5)] == [S, N, S]


def test_a_refusal_outside_an_episode_changes_nothing() -> None:
    budget = ChatBudget(BUDGET)
    budget.notice_refused(1, 0, retry_after=1)
    assert budget.decide(1, 2) is A


def test_a_budget_needs_a_burst_and_a_pace() -> None:
    with pytest.raises(ValueError, match="burst"):
        Budget(burst=0, per_minute=20)
    with pytest.raises(ValueError, match="burst"):
        Budget(burst=3, per_minute=0)


def test_idle_chats_are_forgotten_without_changing_verdicts() -> None:
    budget = ChatBudget(Budget(burst=1, per_minute=60))
    for key in range(10_000):
        budget.decide(key, 0)
    assert budget.decide(10_000, 5) is A, "the table was pruned, the newcomer has a full bucket"
    assert budget.decide(10_000, 5) is N
    assert budget.decide(0, 5) is A, "a forgotten chat is as rested as it would have been"


gaps = st.lists(st.floats(min_value=0, max_value=5, allow_nan=False), max_size=120)
budgets = st.builds(
    Budget, st.integers(min_value=1, max_value=12), st.floats(min_value=1, max_value=120)
)


def _replay(budget: Budget, gaps: list[float]) -> list[tuple[float, Verdict]]:
    chats, now, seen = ChatBudget(budget), 0.0, []
    for gap in gaps:
        now += gap
        seen.append((now, chats.decide(7, now)))
    return seen


@given(budgets, gaps)
@example(BUDGET, [0.0] * 10)
def test_never_more_answers_than_the_bucket_allows(budget: Budget, gaps: list[float]) -> None:
    answered = [t for t, verdict in _replay(budget, gaps) if verdict is A]
    for i, start in enumerate(answered):
        for j in range(i, len(answered)):
            allowed = budget.burst + budget.per_second * (answered[j] - start)
            assert j - i + 1 <= allowed + 1e-6


@given(budgets, gaps)
def test_one_notice_per_episode_then_silence_until_the_bucket_is_full(
    budget: Budget, gaps: list[float]
) -> None:
    previous, noticed_at = A, None
    for now, verdict in _replay(budget, gaps):
        if verdict is N:
            assert previous is A, "the notice opens an episode and is not repeated"
            noticed_at = now
        if verdict is S:
            assert previous is not A, "an episode opens with the notice"
        if verdict is A and noticed_at is not None:
            assert now - noticed_at >= (budget.burst - 1) / budget.per_second - 1e-6
            noticed_at = None
        previous = verdict if verdict is not S else previous
