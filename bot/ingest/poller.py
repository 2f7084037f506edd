"""Polling live sources: fetch politely, parse by kind, store, and keep each source's health.

One deadline covers a whole poll (the fetch, a listing's article links, parsing); parsing and
tagging run in worker processes (`ParsingPool`); any failure, expected or not, becomes the
source's recorded reason, and one source never stops the others.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Final

import httpx

from bot.domain.urls import site_name
from bot.ingest.errors import SourceError
from bot.ingest.http_client import source_client
from bot.ingest.parse_worker import ParsingPool
from bot.ingest.source_health import PollResult, record_failure, record_success
from bot.ingest.source_parsing import PrepareContext, Prepared
from bot.ingest.source_reader import Deadline, Fetched, SourceReader
from bot.ingest.store import store_articles
from bot.metrics.registry import METRICS
from bot.services import Services
from storage.models import Source
from storage.queries import sources as source_queries

logger = logging.getLogger(__name__)

KINDS = ("rss", "page", "listing", "seed", "govkz")
POLL_CONCURRENCY: Final = 4
# The newest items of one poll that are stored; a runaway feed cannot flood the database.
MAX_ITEMS_PER_POLL: Final = 200
INTERNAL: Final = "fetch.internal"


class SourcePoller:
    """Polls due sources; one failing source never stops the others."""

    def __init__(self, services: Services, client: httpx.AsyncClient, pool: ParsingPool) -> None:
        self.services = services
        self.reader = SourceReader(services, client, pool)

    async def poll_due(self) -> list[PollResult]:
        """Every source whose time has come, a few at once."""
        async with self.services.database.read() as session:
            ids = await source_queries.due(session, now=self.services.clock.now(), limit=100)
        gate = asyncio.Semaphore(POLL_CONCURRENCY)

        async def one(source_id: int) -> PollResult:
            async with gate:
                return await self.poll(source_id)

        outcomes = await asyncio.gather(*(one(i) for i in ids), return_exceptions=True)
        return [self._settled(i, outcome) for i, outcome in zip(ids, outcomes, strict=True)]

    async def poll(self, source_id: int) -> PollResult:
        """Fetch and store one source now, and record how it went."""
        try:
            return await self._poll(source_id)
        except Exception:
            # A bug, not the source's fault; still the source's recorded failure, so it
            # backs off instead of staying due for ever.
            logger.exception("source poll failed unexpectedly id=%s", source_id)
            return await self._failed(source_id, INTERNAL, None)

    def _settled(self, source_id: int, outcome: PollResult | BaseException) -> PollResult:
        if isinstance(outcome, PollResult):
            return outcome
        if not isinstance(outcome, Exception):
            raise outcome  # cancellation and exits are not a source's failure
        logger.error("source poll not recorded id=%s", source_id, exc_info=outcome)
        return PollResult(source_id, "error", reason=INTERNAL)

    async def _poll(self, source_id: int) -> PollResult:
        async with self.services.database.read() as session:
            source = await source_queries.get(session, source_id=source_id)
        if source is None:
            return PollResult(source_id, "error", reason="source.missing")
        try:
            fetched = await self.read(source)
        except SourceError as error:
            return await self._failed(source_id, error.reason, error.retry_after)
        _log_prepared(source_id, fetched.prepared)
        METRICS.articles_ingested.labels(outcome="rejected").inc(len(fetched.prepared.rejections))
        counts = await store_articles(
            self.services.database, fetched.prepared.inputs, now=self.services.clock.now()
        )
        await self._succeeded(source_id, fetched)
        status = "not_modified" if fetched.not_modified else "ok"
        METRICS.source_polls.labels(result=status).inc()
        return PollResult(source_id, status, new=counts.new)

    async def read(self, source: Source) -> Fetched:
        """Read `source` and prepare its articles within POLL_DEADLINE_SECONDS, storing
        nothing (the poll and `newsdigest sources check` both start here); SourceError with
        the reason when it gives nothing usable."""
        seconds = self.services.settings.poll_deadline_seconds
        try:
            # The deadline is also enforced step by step (`Deadline`); this is the backstop.
            async with asyncio.timeout(seconds + 5):
                return await self.reader.read(source, self._context(source), Deadline(seconds))
        except TimeoutError:
            raise SourceError("poll.deadline") from None

    def _context(self, source: Source) -> PrepareContext:
        settings = self.services.settings
        return PrepareContext(
            site=source.name or site_name(source.url),
            source_id=source.id,
            now=self.services.clock.now(),
            default_language=settings.default_language,
            zone_name=settings.default_timezone,
            max_items=MAX_ITEMS_PER_POLL,
        )

    async def _succeeded(self, source_id: int, fetched: Fetched) -> None:
        await record_success(
            self.services.database,
            source_id,
            now=self.services.clock.now(),
            etag=fetched.etag,
            last_modified=fetched.last_modified,
        )

    async def _failed(self, source_id: int, reason: str, retry_after: float | None) -> PollResult:
        METRICS.source_polls.labels(result="error").inc()
        return await record_failure(
            self.services.database,
            source_id,
            now=self.services.clock.now(),
            reason=reason,
            retry_after=retry_after,
        )


def _log_prepared(source_id: int, prepared: Prepared) -> None:
    """Rejections by position and reason only: a hostile line's content never reaches the log."""
    for rejection in prepared.rejections:
        logger.info(
            "source article rejected id=%s where=%s reason=%s",
            source_id,
            rejection.where[:200],
            rejection.reason,
        )
    if prepared.dropped:
        logger.warning(
            "source sent more items than a poll stores id=%s kept=%s dropped=%s",
            source_id,
            len(prepared.inputs),
            prepared.dropped,
        )


@asynccontextmanager
async def open_poller(services: Services) -> AsyncIterator[SourcePoller]:
    """A poller with its own guarded HTTP client and parsing workers, both closed on exit."""
    pool = ParsingPool(services.settings.parse_workers)
    try:
        async with source_client(services.settings) as client:
            yield SourcePoller(services, client, pool)
    finally:
        await asyncio.to_thread(pool.close)
