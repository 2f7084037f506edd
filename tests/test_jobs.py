"""The jobs a started bot really has: names and intervals, read from its running JobQueue."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.chat.application import build_bot
from bot.clock import SystemClock
from bot.commands.common import load_tagger
from bot.delivery.lease import SenderLease
from bot.delivery.ticker import DigestTicker
from bot.emulator import Emulator, FloodLimits
from bot.i18n import default_translator
from bot.ingest.ticker import SourceTicker
from bot.jobs import (
    ALERT_TICK,
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
from storage.engine import create_database
from storage.migrate import upgrade_schema


@pytest.mark.parametrize("metrics_listen", [None, "127.0.0.1:9464"])
async def test_a_started_bot_has_every_job_at_its_interval(
    tmp_path: Path, metrics_listen: str | None
) -> None:
    """Every job at its interval; the gauges' refresh only where metrics are served."""
    async with Emulator(flood=FloodLimits(enabled=False)) as emulator:
        settings = Settings(
            _env_file=None,
            telegram_bot_token=emulator.token,
            telegram_api_base_url=emulator.base_url,
            database_url=f"sqlite+aiosqlite:///{tmp_path}/bot.db",
            digest_tick_seconds=42,
            alert_tick_seconds=7,
            source_tick_seconds=17,
            lease_seconds=30,
            metrics_listen=metrics_listen,
        )
        database = create_database(settings.database_url)
        await upgrade_schema(database)
        clock = SystemClock()
        services = Services(database, clock, settings, default_translator(), load_tagger())
        bot = build_bot(services, token=emulator.token)
        lease = SenderLease(database, clock, seconds=settings.lease_seconds)
        parts = JobParts(
            services,
            DigestTicker(services, bot.runtime.sender),
            SourceTicker(bot.runtime.poller),
            lease,
            asyncio.Event(),
            Heartbeats(),
        )
        schedule_jobs(bot.application, parts)
        await bot.application.initialize()
        await bot.application.start()
        try:
            queue = bot.application.job_queue
            assert queue is not None and queue.scheduler.running
            jobs = {job.name: job for job in queue.jobs()}
            gauges = {GAUGES} if metrics_listen else set()
            assert set(jobs) == {
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
            assert all(job.next_t is not None and job.data is parts for job in jobs.values())
        finally:
            await bot.application.stop()
            await bot.application.shutdown()
            await bot.runtime.close()
            await database.dispose()
