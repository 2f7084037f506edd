"""Live instances and the rate they share: heartbeats counted within LEASE_SECONDS, a killed
instance dropping out, a stopped one leaving at once; the limiter sending at its share."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from telegram.error import RetryAfter

from bot.delivery.instances import Instances
from bot.delivery.rate import SharedRateLimiter
from storage.engine import Database
from storage.models import Instance
from tests.clocks import SteppingClock

NOW = datetime(2026, 12, 8, 3, 0, tzinfo=UTC)
SECONDS = 30.0


async def test_live_instances_are_those_that_beat_within_the_lease(database: Database) -> None:
    if database.dialect != "postgresql":
        pytest.skip("several sending instances: PostgreSQL")
    clock = SteppingClock(NOW)
    first, second, third = (
        Instances(database, clock, instance_id=name, seconds=SECONDS) for name in "abc"
    )
    assert await first.beat() == 1
    assert not first.counted(clock.now()), "the others have not seen it yet"
    assert await second.beat() == 2
    clock.advance(seconds=SECONDS / 3)
    assert not first.counted(clock.now()), "the others beat up to an interval (and jitter) late"
    assert await first.beat() == 2
    clock.advance(seconds=SECONDS / 3)
    assert first.counted(clock.now())
    assert await third.beat() == 3
    clock.advance(seconds=SECONDS * 2 / 3 + 1)  # the first was killed: its last beat is old
    assert await second.beat() == 2
    await third.leave()  # a clean stop leaves at once
    assert await second.beat() == 1


async def test_an_instance_whose_beats_fail_stops_sending_before_it_stops_counting(
    database: Database,
) -> None:
    if database.dialect != "postgresql":
        pytest.skip("several sending instances: PostgreSQL")
    clock = SteppingClock(NOW)
    instance = Instances(database, clock, instance_id="a", seconds=SECONDS)
    await instance.beat()
    clock.advance(seconds=SECONDS * 2 / 3)
    await instance.beat()
    assert instance.counted(clock.now())
    clock.advance(seconds=SECONDS * 2 / 3)  # its beats failed since: the others count it still
    assert not instance.counted(clock.now()), "its share may be taken back soon: it stops"
    await instance.beat()  # the database is back
    assert instance.counted(clock.now())


async def test_sqlite_writes_no_heartbeats(database: Database) -> None:
    if database.dialect != "sqlite":
        pytest.skip("SQLite runs one sender")
    instance = Instances(database, SteppingClock(NOW), instance_id="a", seconds=SECONDS)
    assert await instance.beat() == 1
    await instance.leave()
    async with database.read() as session:
        assert await session.scalar(select(func.count()).select_from(Instance)) == 0


def _call(**data: object) -> Any:
    async def answer() -> bool:
        return True

    return {"callback": answer, "args": (), "kwargs": {}, "endpoint": "sendMessage",
            "data": data, "rate_limit_args": None}  # fmt: skip


async def test_the_limiter_sends_at_its_share_and_paces_each_group() -> None:
    limiter = SharedRateLimiter(per_second=1000, group_per_minute=1)
    limiter.share(4)
    assert limiter.rate == 250
    limiter.share(0)
    assert limiter.rate == 1000, "itself at least"
    assert await limiter.process_request(**_call(chat_id=-100))
    with pytest.raises(TimeoutError):  # the group's one message a minute is spent
        await asyncio.wait_for(limiter.process_request(**_call(chat_id="-100")), 0.2)
    assert await limiter.process_request(**_call(chat_id=42)), "a private chat: overall only"
    assert await limiter.process_request(**_call(chat_id=43))
    assert await limiter.process_request(**_call()), "not a send to a chat"


async def test_the_limiter_passes_retry_after_on_to_the_sender() -> None:
    limiter = SharedRateLimiter(per_second=1000, group_per_minute=20)

    async def flooded() -> bool:
        raise RetryAfter(timedelta(seconds=3))

    with pytest.raises(RetryAfter):
        await limiter.process_request(
            flooded, (), {}, endpoint="sendMessage", data={"chat_id": 1}, rate_limit_args=None
        )
