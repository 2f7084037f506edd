"""The parsing pool's time budget: a call that never returns costs one worker, not the bot."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.ingest.errors import SourceError
from bot.ingest.parse_worker import ParsingPool
from tests.ingest import worker_tasks


async def test_a_call_over_its_budget_is_stopped_and_the_pool_goes_on(
    parsing_pool: ParsingPool,
) -> None:
    ticks = 0

    async def event_loop_heartbeat() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.05)
            ticks += 1

    heartbeat = asyncio.create_task(event_loop_heartbeat())
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        await parsing_pool.run(worker_tasks.spin_forever, budget=1.0)
    elapsed = time.monotonic() - started
    heartbeat.cancel()
    assert caught.value.reason == "parse.timeout"
    assert 1.0 <= elapsed < 6.0  # pebble's terminate, then SIGKILL after its grace period
    assert ticks >= 15, "the event loop kept running while the worker spun"
    assert await parsing_pool.run(worker_tasks.double, 21, budget=30) == 42


async def test_a_crashed_worker_is_a_reason_and_is_replaced(parsing_pool: ParsingPool) -> None:
    with pytest.raises(SourceError) as caught:
        await parsing_pool.run(worker_tasks.die, budget=30)
    assert caught.value.reason == "parse.crashed"
    assert await parsing_pool.run(worker_tasks.double, 2, budget=30) == 4


async def test_a_source_error_crosses_the_process_boundary_whole(
    parsing_pool: ParsingPool,
) -> None:
    with pytest.raises(SourceError) as caught:
        await parsing_pool.run(worker_tasks.refuse, budget=30)
    assert (caught.value.reason, caught.value.detail) == ("feed.malformed", "not a feed")


async def test_no_budget_left_is_the_poll_deadline(parsing_pool: ParsingPool) -> None:
    with pytest.raises(SourceError) as caught:
        await parsing_pool.run(worker_tasks.double, 1, budget=0)
    assert caught.value.reason == "poll.deadline"
