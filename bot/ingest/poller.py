"""Polling live sources: fetch politely, parse by kind, store, and keep each source's health."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from bot.domain.polling import next_poll_after_failure, next_poll_after_success, should_pause
from bot.domain.urls import site_name
from bot.ingest.errors import SourceError
from bot.ingest.feeds import parse_feed
from bot.ingest.fetch import FetchResult, fetch
from bot.ingest.items import FeedItem
from bot.ingest.prepare import Rejection, prepare_items, prepare_page
from bot.ingest.seed_files import bundled_seed_dir
from bot.ingest.seed_source import parse_seed_source
from bot.ingest.store import store_articles
from bot.usecases.services import Services
from storage.models import Source
from storage.queries import sources as source_queries
from storage.queries.articles import ArticleInput, find_existing

logger = logging.getLogger(__name__)

KINDS = ("rss", "page", "listing", "seed")
BUNDLED = "bundled:"
MAX_BYTES = 10 * 1024 * 1024
FETCH_TIMEOUT = 30.0
LISTING_ARTICLES = 10
POLL_CONCURRENCY = 4


@dataclass(frozen=True, slots=True)
class PollResult:
    source_id: int
    status: str  # "ok", "not_modified" or "error"
    new: int = 0
    reason: str | None = None
    paused: bool = False


@dataclass(frozen=True, slots=True)
class _Fetched:
    inputs: list[ArticleInput]
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


class SourcePoller:
    """Polls due sources; one failing source never stops the others."""

    def __init__(self, services: Services, client: httpx.AsyncClient) -> None:
        self.services = services
        self.client = client

    async def poll_due(self) -> list[PollResult]:
        """Every source whose time has come, a few at once."""
        async with self.services.database.read() as session:
            ids = await source_queries.due(session, now=self.services.clock.now(), limit=100)
        gate = asyncio.Semaphore(POLL_CONCURRENCY)

        async def one(source_id: int) -> PollResult:
            async with gate:
                return await self.poll(source_id)

        return list(await asyncio.gather(*(one(i) for i in ids)))

    async def poll(self, source_id: int) -> PollResult:
        """Fetch and store one source now, and record how it went."""
        async with self.services.database.read() as session:
            source = await source_queries.get(session, source_id=source_id)
        if source is None:
            return PollResult(source_id, "error", reason="source.missing")
        try:
            fetched = await self._fetch(source)
        except SourceError as error:
            return await self._failed(source_id, error.reason, error.retry_after)
        counts = await store_articles(
            self.services.database, fetched.inputs, now=self.services.clock.now()
        )
        await self._succeeded(source_id, fetched)
        status = "not_modified" if fetched.not_modified else "ok"
        return PollResult(source_id, status, new=counts.new)

    async def _fetch(self, source: Source) -> _Fetched:
        if source.kind == "seed":
            return _Fetched(self._prepare_seed(await self._seed_bytes(source), source))
        result = await self._get(source.url, etag=source.etag, last_modified=source.last_modified)
        if result.status == "not_modified":
            return _Fetched([], source.etag, source.last_modified, not_modified=True)
        # trafilatura is heavy to import: only pollers of web pages pay for it.
        from bot.ingest.pages import extract_article

        # Parsing is CPU work (about 0.1 s for a large feed): off the event loop.
        if source.kind == "rss":
            items = await asyncio.to_thread(
                parse_feed, result.body, url=result.final_url, content_type=result.content_type
            )
        elif source.kind == "page":
            article = await asyncio.to_thread(extract_article, result.body, url=result.final_url)
            items = [article] if article else []
        else:
            items = await self._listing(result)
        return _Fetched(self._prepare_items(items, source), result.etag, result.last_modified)

    async def _get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        result = await fetch(
            self.client,
            url,
            etag=etag,
            last_modified=last_modified,
            max_bytes=MAX_BYTES,
            timeout=FETCH_TIMEOUT,
        )
        if result.status == "error":
            raise SourceError(
                result.reason or "fetch.error", retry_after=result.retry_after_seconds
            )
        return result

    async def _listing(self, page: FetchResult) -> list[FeedItem]:
        """Articles linked from a listing page that are not stored yet (a few per poll)."""
        from bot.ingest.pages import extract_article, listing_links

        links = listing_links(page.body, url=page.final_url, limit=LISTING_ARTICLES * 3)
        async with self.services.database.read() as session:
            known = await find_existing(session, canonical_urls=links, content_hashes=[])
        stored = {row.canonical_url for row in known}
        items: list[FeedItem] = []
        for link in [link for link in links if link not in stored][:LISTING_ARTICLES]:
            try:
                article_page = await self._get(link)
            except SourceError as error:
                logger.info("listing article skipped url=%s reason=%s", link, error.reason)
                continue
            article = await asyncio.to_thread(
                extract_article, article_page.body, url=article_page.final_url
            )
            if article is not None:
                items.append(article)
        return items

    async def _seed_bytes(self, source: Source) -> bytes:
        if source.url.startswith(BUNDLED):
            path = bundled_seed_dir() / source.url.removeprefix(BUNDLED)
        elif source.url.startswith(("http://", "https://")):
            return (await self._get(source.url)).body
        else:
            path = Path(source.url.removeprefix("file://"))
        try:
            return path.read_bytes()
        except OSError as error:
            raise SourceError("source.unreadable") from error

    def _prepare_seed(self, body: bytes, source: Source) -> list[ArticleInput]:
        page = parse_seed_source(body, name=source.name or source.url)
        return _inputs(
            prepare_page(
                page,
                tagger=self.services.tagger,
                zone=self.services.settings.zone,
                now=self.services.clock.now(),
                default_language=self.services.settings.default_language,
                source_id=source.id,
            )
        )

    def _prepare_items(self, items: Sequence[FeedItem], source: Source) -> list[ArticleInput]:
        return _inputs(
            prepare_items(
                items,
                site=source.name or site_name(source.url),
                tagger=self.services.tagger,
                now=self.services.clock.now(),
                default_language=self.services.settings.default_language,
                source_id=source.id,
            )
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


def _inputs(results: Iterable[ArticleInput | Rejection]) -> list[ArticleInput]:
    """The articles of a prepared batch; rejections are logged (a source has no reader)."""
    inputs: list[ArticleInput] = []
    for result in results:
        if isinstance(result, Rejection):
            logger.info("source article rejected %s", result.describe())
        else:
            inputs.append(result)
    return inputs
