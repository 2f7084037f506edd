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
from dataclasses import dataclass
from typing import Final

import httpx

from bot.domain.polling import next_poll_after_failure, next_poll_after_success, should_pause
from bot.domain.urls import site_name
from bot.ingest import source_parsing
from bot.ingest.errors import SourceError
from bot.ingest.fetch import FetchResult, fetch
from bot.ingest.http_client import source_client
from bot.ingest.parse_worker import ParsingPool
from bot.ingest.seed_reading import read_seed_reference
from bot.ingest.source_parsing import PrepareContext, Prepared
from bot.ingest.store import store_articles
from bot.usecases.services import Services
from storage.models import Source
from storage.queries import sources as source_queries
from storage.queries.articles import find_existing

logger = logging.getLogger(__name__)

KINDS = ("rss", "page", "listing", "seed")
MAX_BYTES: Final = 10 * 1024 * 1024
# One request may take this long at most, within the poll's deadline.
FETCH_TIMEOUT: Final = 30.0
# A listing's article link gets less: ten slow links must not use up the whole deadline.
LINK_TIMEOUT: Final = 15.0
LISTING_ARTICLES: Final = 10
POLL_CONCURRENCY: Final = 4
# The newest items of one poll that are stored; a runaway feed cannot flood the database.
MAX_ITEMS_PER_POLL: Final = 200
INTERNAL: Final = "fetch.internal"


@dataclass(frozen=True, slots=True)
class PollResult:
    source_id: int
    status: str  # "ok", "not_modified" or "error"
    new: int = 0
    reason: str | None = None
    paused: bool = False


@dataclass(frozen=True, slots=True)
class _Fetched:
    prepared: Prepared
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


class _Deadline:
    """The time left of one poll, on the event loop's monotonic clock."""

    def __init__(self, seconds: float) -> None:
        self._ends = asyncio.get_running_loop().time() + seconds

    def left(self, cap: float = float("inf")) -> float:
        """Seconds left (at most `cap`); SourceError("poll.deadline") once none are."""
        left = self._ends - asyncio.get_running_loop().time()
        if left <= 0:
            raise SourceError("poll.deadline")
        return min(left, cap)


class SourcePoller:
    """Polls due sources; one failing source never stops the others."""

    def __init__(self, services: Services, client: httpx.AsyncClient, pool: ParsingPool) -> None:
        self.services = services
        self.client = client
        self.pool = pool

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
        deadline_seconds = self.services.settings.poll_deadline_seconds
        try:
            # The deadline is also enforced step by step (`_Deadline`); this is the backstop.
            async with asyncio.timeout(deadline_seconds + 5):
                fetched = await self._fetch(source, _Deadline(deadline_seconds))
        except TimeoutError:
            return await self._failed(source_id, "poll.deadline", None)
        except SourceError as error:
            return await self._failed(source_id, error.reason, error.retry_after)
        _log_prepared(source_id, fetched.prepared)
        counts = await store_articles(
            self.services.database, fetched.prepared.inputs, now=self.services.clock.now()
        )
        await self._succeeded(source_id, fetched)
        status = "not_modified" if fetched.not_modified else "ok"
        return PollResult(source_id, status, new=counts.new)

    async def _fetch(self, source: Source, deadline: _Deadline) -> _Fetched:
        context = self._context(source)
        if source.kind == "seed" and not source.url.startswith(("http://", "https://")):
            body = await asyncio.to_thread(
                read_seed_reference,
                source.url,
                seed_dir=self.services.settings.seed_dir,
                max_bytes=MAX_BYTES,
            )
            return _Fetched(await self._prepare_seed(body, source, context, deadline))
        result = await self._get(
            source.url, deadline, etag=source.etag, last_modified=source.last_modified
        )
        if result.status == "not_modified":
            return _Fetched(Prepared([], []), source.etag, source.last_modified, True)
        if source.kind == "seed":
            prepared = await self._prepare_seed(result.body, source, context, deadline)
        elif source.kind == "rss":
            prepared = await self.pool.run(
                source_parsing.prepare_feed,
                result.body,
                url=result.final_url,
                content_type=result.content_type,
                context=context,
                budget=deadline.left(),
            )
        elif source.kind == "page":
            prepared = await self.pool.run(
                source_parsing.prepare_article_page,
                result.body,
                url=result.final_url,
                context=context,
                budget=deadline.left(),
            )
        elif source.kind == "listing":
            prepared = await self._listing(result, context, deadline)
        else:
            raise SourceError("source.bad_kind")
        return _Fetched(prepared, result.etag, result.last_modified)

    async def _get(
        self,
        url: str,
        deadline: _Deadline,
        *,
        cap: float = FETCH_TIMEOUT,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        result = await fetch(
            self.client,
            url,
            etag=etag,
            last_modified=last_modified,
            max_bytes=MAX_BYTES,
            timeout=deadline.left(cap),
        )
        if result.status == "error":
            raise SourceError(
                result.reason or "fetch.error", retry_after=result.retry_after_seconds
            )
        return result

    async def _listing(
        self, page: FetchResult, context: PrepareContext, deadline: _Deadline
    ) -> Prepared:
        """Articles linked from a listing page that are not stored yet (a few per poll)."""
        links = await self.pool.run(
            source_parsing.find_listing_links,
            page.body,
            url=page.final_url,
            limit=LISTING_ARTICLES * 3,
            budget=deadline.left(),
        )
        async with self.services.database.read() as session:
            known = await find_existing(session, canonical_urls=links, content_hashes=[])
        stored = {row.canonical_url for row in known}
        items = []
        for link in [link for link in links if link not in stored][:LISTING_ARTICLES]:
            try:
                article_page = await self._get(link, deadline, cap=LINK_TIMEOUT)
                article = await self.pool.run(
                    source_parsing.extract_page,
                    article_page.body,
                    url=article_page.final_url,
                    budget=deadline.left(LINK_TIMEOUT),
                )
            except SourceError as error:
                if error.reason == "poll.deadline":
                    raise
                logger.info("listing article skipped url=%s reason=%s", link, error.reason)
                continue
            if article is not None:
                items.append(article)
        return await self.pool.run(
            source_parsing.prepare_feed_items, items, context, budget=deadline.left()
        )

    async def _prepare_seed(
        self, body: bytes, source: Source, context: PrepareContext, deadline: _Deadline
    ) -> Prepared:
        return await self.pool.run(
            source_parsing.prepare_seed,
            body,
            name=source.name or source.url,
            context=context,
            budget=deadline.left(),
        )

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

    async def _succeeded(self, source_id: int, fetched: _Fetched) -> None:
        now = self.services.clock.now()
        async with self.services.database.write() as session:
            source = await source_queries.get(session, source_id=source_id)
            if source is None:
                return
            source.last_polled_at = source.last_success_at = now
            source.consecutive_failures = 0
            source.last_error = None
            source.etag, source.last_modified = fetched.etag, fetched.last_modified
            source.next_poll_at = next_poll_after_success(now, poll_minutes=source.poll_minutes)

    async def _failed(self, source_id: int, reason: str, retry_after: float | None) -> PollResult:
        now = self.services.clock.now()
        async with self.services.database.write() as session:
            source = await source_queries.get(session, source_id=source_id)
            if source is None:
                return PollResult(source_id, "error", reason=reason)
            source.last_polled_at = now
            source.consecutive_failures += 1
            source.last_error = reason
            source.next_poll_at = next_poll_after_failure(
                now,
                poll_minutes=source.poll_minutes,
                failures=source.consecutive_failures,
                retry_after_seconds=retry_after,
            )
            paused = should_pause(source.consecutive_failures) and source.enabled
            if paused:
                source.enabled = False
        logger.warning("source poll failed id=%s reason=%s paused=%s", source_id, reason, paused)
        return PollResult(source_id, "error", reason=reason, paused=paused)


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
