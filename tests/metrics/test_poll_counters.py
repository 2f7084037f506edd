"""Poll and ingest counters from the real poller against a local feed server and database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from bot.clock import FixedClock
from bot.commands.common import load_tagger
from bot.i18n import default_translator
from bot.ingest.parse_worker import ParsingPool
from bot.ingest.poller import SourcePoller
from bot.services import Services
from bot.settings import Settings
from bot.usecases import sources as source_use
from storage.engine import Database
from tests.ingest.http_server import LocalServer, conditional, respond
from tests.metrics.reading import Reading

FEED = Path(__file__).parents[1] / "data" / "feeds" / "rss-ru.xml"
NOW = datetime(2025, 1, 14, 6, 0, tzinfo=UTC)


async def test_ok_not_modified_and_error_polls_and_what_they_stored(
    database: Database,
    client: httpx.AsyncClient,
    server: LocalServer,
    parsing_pool: ParsingPool,
) -> None:
    clock = FixedClock(NOW)
    settings = Settings(_env_file=None, private_source_networks="127.0.0.1/32")
    services = Services(database, clock, settings, default_translator(), load_tagger())
    feed = server.route(
        "/rss",
        conditional(
            FEED.read_bytes(), content_type="application/rss+xml", etag='"v1"', last_modified=""
        ),
    )
    broken = server.route("/broken", respond(500))
    async with services.database.write() as session:
        for url in (feed, broken):
            await source_use.add_source(session, services, url=url, kind="rss", minutes=30)
    poller = SourcePoller(services, client, parsing_pool)

    before = Reading()
    first = await poller.poll_due()
    changed = Reading().moved(before)
    stored = sum(result.new for result in first)
    assert stored > 0
    assert changed == {
        "newsdigest_source_polls_total{result=ok}": 1,
        "newsdigest_source_polls_total{result=error}": 1,
        "newsdigest_articles_ingested_total{outcome=new}": stored,
    }

    clock.set(NOW + timedelta(days=1))  # both due again; the feed answers 304
    before = Reading()
    await poller.poll_due()
    assert Reading().moved(before) == {
        "newsdigest_source_polls_total{result=not_modified}": 1,
        "newsdigest_source_polls_total{result=error}": 1,
    }
