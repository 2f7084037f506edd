"""The demo's world: a throw-away SQLite file holding the bundled seeds, its clock pinned."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from bot.clock import Clock, FixedClock, SystemClock
from bot.commands.common import load_tagger, open_database
from bot.i18n import default_translator
from bot.ingest.poller import open_poller
from bot.ingest.seed_files import bundled_seed_dir, newest_entry_date
from bot.ingest.source_health import PollResult
from bot.services import Services
from bot.settings import Settings
from bot.usecases.sources import load_defaults
from storage.engine import Database


@dataclass(frozen=True, slots=True)
class DemoWorld:
    database: Database
    clock: Clock
    polled: list[PollResult]


def day_after_seeds(settings: Settings) -> Clock:
    """Noon of the day after the newest bundled article, so the sample reads as fresh news."""
    newest = newest_entry_date(bundled_seed_dir())
    if newest is None:
        return SystemClock()
    noon = datetime.combine(newest + timedelta(days=1), time(12, 0), tzinfo=settings.zone)
    return FixedClock(noon)


@asynccontextmanager
async def demo_world(settings: Settings, clock: Clock | None) -> AsyncIterator[DemoWorld]:
    """Poll the default sources into a temporary database that is deleted afterwards."""
    clock = clock or day_after_seeds(settings)
    with tempfile.TemporaryDirectory(prefix="newsdigest-demo-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'demo.db'}"
        async with open_database(url) as database:
            # Only the bundled sample, whatever SOURCE_PACK says: the demo never needs a network.
            offline = settings.model_copy(update={"source_pack": "sample"})
            services = Services(database, clock, offline, default_translator(), load_tagger())
            async with database.write() as session:
                await load_defaults(session, services)
            async with open_poller(services) as poller:
                polled = await poller.poll_due()
            yield DemoWorld(database, clock, polled)
