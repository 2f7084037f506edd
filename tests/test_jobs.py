"""The jobs a started bot really has (names and intervals, read from its running JobQueue), and
how each decides by the instance's role: the leader polls and keeps house; digests and alerts
go out from the leader alone on SQLite, from every instance on PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import func, select

from bot.chat.application import BotApplication, build_bot
from bot.clock import Clock, SystemClock
from bot.commands.common import load_tagger
from bot.delivery.lease import SQLITE_STANDBY, SenderLease
from bot.delivery.rate import SharedRateLimiter
from bot.delivery.ticker import DigestTicker
from bot.emulator import Emulator, FloodLimits
from bot.i18n import default_translator
from bot.ingest.ticker import SourceTicker
from bot.jobs import (
    ALERT_TICK,
    DIGEST_MINUTE,
    DIGEST_TICK,
    GAUGES,
    HOUSEKEEPING,
    LEASE_RENEWAL,
    SOURCE_TICK,
    JobParts,
    schedule_jobs,
)
from bot.metrics.health import Heartbeats
from bot.services import Services
from bot.settings import Settings
from storage.engine import Database, create_database
from storage.migrate import upgrade_schema
from storage.models import Chat, Delivery
from tests.clocks import SteppingClock

LEASE_SECONDS = 30.0
RATE = 24.0
DUE = datetime(2026, 12, 8, 3, 0, tzinfo=UTC)  # 08:00 in Asia/Almaty


def _settings(emulator: Emulator, url: str, **values: object) -> Settings:
    return Settings(
        _env_file=None,
        telegram_bot_token=emulator.token,
        telegram_api_base_url=emulator.base_url,
        database_url=url,
        **values,  # type: ignore[arg-type]
    )


@dataclass
class Instance:
    """One `newsdigest run`'s application and job parts, on a shared database and clock."""

    application: BotApplication
    parts: JobParts

    async def run(self, name: str) -> None:
        [job] = self.application.job_queue.get_jobs_by_name(name)  # type: ignore[union-attr]
        await job.run(self.application)

    @property
    def rate(self) -> float:
        limiter = self.application.bot.rate_limiter
        assert isinstance(limiter, SharedRateLimiter)
        return limiter.rate


@asynccontextmanager
async def instance(
    emulator: Emulator, url: str, clock: Clock, **values: object
) -> AsyncIterator[Instance]:
    """A bot with its jobs scheduled but not started: the test runs each job by hand."""
    settings = _settings(emulator, url, **values)
    database = create_database(url)
    services = Services(database, clock, settings, default_translator(), load_tagger())
    bot = build_bot(services, token=emulator.token)
    parts = JobParts(
        services,
        DigestTicker(services, bot.runtime.sender),
        SourceTicker(bot.runtime.poller),
        SenderLease(database, clock, seconds=settings.lease_seconds),
        asyncio.Event(),
        Heartbeats(),
    )
    schedule_jobs(bot.application, parts)
    await bot.application.initialize()
    try:
        yield Instance(bot.application, parts)
    finally:
        await bot.application.shutdown()
        await bot.runtime.close()
        await database.dispose()


async def add_due_chats(database: Database, ids: range, due: datetime = DUE) -> None:
    async with database.write() as session:
        for chat_id in ids:
            session.add(Chat(id=chat_id, next_due_at=due, created_at=due, updated_at=due))


async def ledger_size(database: Database) -> int:
    async with database.read() as session:
        return int(await session.scalar(select(func.count()).select_from(Delivery)) or 0)


def url_of(database: Database) -> str:
    return database.engine.url.render_as_string(hide_password=False)


@pytest.mark.parametrize("metrics_listen", [None, "127.0.0.1:9464"])
async def test_a_started_bot_has_every_job_at_its_interval(
    tmp_path: Path, metrics_listen: str | None
) -> None:
    """Every job at its interval; the gauges' refresh only where metrics are served."""
    async with Emulator(flood=FloodLimits(enabled=False)) as emulator:
        url = f"sqlite+aiosqlite:///{tmp_path}/bot.db"
        await upgrade_schema(database := create_database(url))
        await database.dispose()
        settings = {
            "digest_tick_seconds": 42,
            "alert_tick_seconds": 7,
            "source_tick_seconds": 17,
            "lease_seconds": 30,
            "metrics_listen": metrics_listen,
        }
        async with instance(emulator, url, SystemClock(), **settings) as bot:
            await bot.application.start()
            try:
                queue = bot.application.job_queue
                assert queue is not None and queue.scheduler.running
                jobs = {job.name: job for job in queue.jobs()}
                gauges = {GAUGES} if metrics_listen else set()
                assert set(jobs) == {
                    DIGEST_MINUTE,
                    DIGEST_TICK,
                    ALERT_TICK,
                    SOURCE_TICK,
                    LEASE_RENEWAL,
                    HOUSEKEEPING,
                    *gauges,
                }
                intervals = {
                    name: job.job.trigger.interval
                    for name, job in jobs.items()
                    if isinstance(job.job.trigger, IntervalTrigger)
                }
                assert intervals == {
                    DIGEST_TICK: timedelta(seconds=42),
                    ALERT_TICK: timedelta(seconds=7),
                    SOURCE_TICK: timedelta(seconds=17),
                    LEASE_RENEWAL: timedelta(seconds=10),
                    **({GAUGES: timedelta(seconds=15)} if metrics_listen else {}),
                }
                daily = jobs[HOUSEKEEPING].job.trigger
                assert isinstance(daily, CronTrigger)
                assert str(daily.fields[daily.FIELD_NAMES.index("hour")]) == "3"
                assert all(
                    job.next_t is not None and job.data is bot.parts for job in jobs.values()
                )
            finally:
                await bot.application.stop()


@pytest.mark.parametrize(
    "now",
    [
        DUE - timedelta(seconds=59.9),  # just after the previous minute's tick
        DUE - timedelta(seconds=0.5),
        DUE - timedelta(microseconds=1),
        DUE,
    ],
)
async def test_the_minute_tick_fires_on_each_due_minute(tmp_path: Path, now: datetime) -> None:
    """Whatever the instant, the next minute tick is the next whole minute (due instants are
    whole minutes), so a digest is claimed as it falls due (never before: APScheduler fires a
    job once its wall clock has reached the instant, `..._never_before` below)."""
    async with Emulator(flood=FloodLimits(enabled=False)) as emulator:
        url = f"sqlite+aiosqlite:///{tmp_path}/bot.db"
        async with instance(emulator, url, SystemClock()) as bot:
            [job] = bot.application.job_queue.get_jobs_by_name(DIGEST_MINUTE)  # type: ignore[union-attr]
            fires = job.job.trigger.get_next_fire_time(None, now)
            assert fires == DUE


async def test_a_digest_is_claimed_by_the_minute_tick_after_its_minute_never_before(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/bot.db"
    await upgrade_schema(database := create_database(url))
    await add_due_chats(database, range(1, 4))
    clock = SteppingClock(DUE - timedelta(seconds=1))
    async with (
        Emulator(flood=FloodLimits(enabled=False)) as emulator,
        instance(emulator, url, clock) as bot,
    ):
        await bot.run(LEASE_RENEWAL)
        await bot.run(DIGEST_MINUTE)
        assert await ledger_size(database) == 0, "none early"
        clock.set(DUE + timedelta(seconds=1))  # the minute tick's instant
        await bot.run(DIGEST_MINUTE)
        assert await ledger_size(database) == 3
    await database.dispose()


async def test_on_sqlite_the_leader_alone_sends_and_a_standby_says_why(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/bot.db"
    await upgrade_schema(database := create_database(url))
    await add_due_chats(database, range(1, 4))
    clock = SteppingClock(DUE)
    caplog.set_level(logging.INFO)
    settings = {"lease_seconds": LEASE_SECONDS, "rate_overall_per_second": RATE}
    async with (
        Emulator(flood=FloodLimits(enabled=False)) as emulator,
        instance(emulator, url, clock, **settings) as first,
        instance(emulator, url, clock, **settings) as second,
    ):
        await first.run(LEASE_RENEWAL)
        await second.run(LEASE_RENEWAL)
        await second.run(LEASE_RENEWAL)
        assert caplog.messages.count(SQLITE_STANDBY) == 1
        assert (first.parts.lease.held, second.parts.lease.held) == (True, False)
        assert (first.rate, second.rate) == (RATE, RATE), "one sender: no share"
        clock.advance(seconds=LEASE_SECONDS)  # every instance counted by now
        for name in (DIGEST_TICK, DIGEST_MINUTE, SOURCE_TICK):
            await second.run(name)
        assert await ledger_size(database) == 0, "a standby sends nothing"
        assert second.parts.heartbeats.last_poll is None, "nor polls sources"

        clock.advance(seconds=LEASE_SECONDS)  # the first stopped renewing (a pause, say)
        await second.run(LEASE_RENEWAL)
        assert second.parts.lease.held
        await second.run(DIGEST_TICK)
        assert await ledger_size(database) == 3
        await first.run(LEASE_RENEWAL)
        assert first.parts.stop.is_set(), "a leader that lost the lease stops: one sender"
    await database.dispose()


async def test_on_postgresql_every_instance_sends_at_its_share_and_one_leads(
    database: Database,
) -> None:
    if database.dialect != "postgresql":
        pytest.skip("several sending instances need PostgreSQL")
    await add_due_chats(database, range(1, 4))
    clock = SteppingClock(DUE)
    url = url_of(database)
    settings = {"lease_seconds": LEASE_SECONDS, "rate_overall_per_second": RATE}
    async with (
        Emulator(flood=FloodLimits(enabled=False)) as emulator,
        instance(emulator, url, clock, **settings) as first,
        instance(emulator, url, clock, **settings) as second,
    ):
        await first.run(LEASE_RENEWAL)
        await second.run(LEASE_RENEWAL)
        await second.run(DIGEST_TICK)
        assert await ledger_size(database) == 0, "not before the others counted it"
        clock.advance(seconds=LEASE_SECONDS / 3)
        await first.run(LEASE_RENEWAL)
        await second.run(LEASE_RENEWAL)
        assert (first.rate, second.rate) == (RATE / 2, RATE / 2)
        await second.run(DIGEST_TICK)
        assert await ledger_size(database) == 0, "others beat up to an interval late: it waits two"
        clock.advance(seconds=LEASE_SECONDS / 3)
        await first.run(LEASE_RENEWAL)
        await second.run(LEASE_RENEWAL)
        assert (first.parts.lease.held, second.parts.lease.held) == (True, False)
        await second.run(SOURCE_TICK)
        assert second.parts.heartbeats.last_poll is None, "only the leader polls sources"
        await second.run(DIGEST_TICK)
        assert await ledger_size(database) == 3, "a standby sends on PostgreSQL"

        clock.advance(seconds=LEASE_SECONDS + 1)  # the first paused past its lease
        await second.run(LEASE_RENEWAL)
        await first.run(LEASE_RENEWAL)
        assert (first.parts.lease.held, second.parts.lease.held) == (False, True)
        assert not first.parts.stop.is_set(), "it goes on sending, leading no more"
        await first.parts.lease.release()  # a clean stop: the other takes the whole rate
        await second.run(LEASE_RENEWAL)
        assert second.rate == RATE
