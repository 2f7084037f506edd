"""Reading one source by its kind: fetch (or read a seed file), then parse and prepare its
articles in a parsing worker, every step within the poll's deadline."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Final

import httpx

from bot.ingest import govkz, source_parsing
from bot.ingest.errors import SourceError
from bot.ingest.fetch import FetchResult, fetch
from bot.ingest.parse_worker import ParsingPool
from bot.ingest.seed_reading import read_seed_reference
from bot.ingest.source_parsing import PrepareContext, Prepared
from bot.services import Services
from storage.models import Source
from storage.queries.articles import find_existing

logger = logging.getLogger(__name__)

MAX_BYTES: Final = 10 * 1024 * 1024
# One request may take this long at most, within the poll's deadline.
FETCH_TIMEOUT: Final = 30.0
# A listing's article link gets less: ten slow links must not use up the whole deadline.
LINK_TIMEOUT: Final = 15.0
LISTING_ARTICLES: Final = 10
# Kinds whose one fetched document is parsed and prepared by one worker call.
_DOCUMENT_PARSERS: Final = {
    "rss": source_parsing.prepare_feed,
    "page": source_parsing.prepare_article_page,
}


@dataclass(frozen=True, slots=True)
class Fetched:
    """What one poll of a source gave, before storing: prepared rows and new validators."""

    prepared: Prepared
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


class Deadline:
    """The time left of one poll, on the event loop's monotonic clock."""

    def __init__(self, seconds: float) -> None:
        self._ends = asyncio.get_running_loop().time() + seconds

    def left(self, cap: float = float("inf")) -> float:
        """Seconds left (at most `cap`); SourceError("poll.deadline") once none are."""
        left = self._ends - asyncio.get_running_loop().time()
        if left <= 0:
            raise SourceError("poll.deadline")
        return min(left, cap)


async def fetch_or_fail(
    client: httpx.AsyncClient,
    url: str,
    deadline: Deadline,
    *,
    cap: float = FETCH_TIMEOUT,
    etag: str | None = None,
    last_modified: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> FetchResult:
    """One GET of at most MAX_BYTES within what is left of `deadline` (at most `cap`);
    SourceError with the fetch's reason (and any Retry-After) when it fails."""
    result = await fetch(
        client,
        url,
        etag=etag,
        last_modified=last_modified,
        max_bytes=MAX_BYTES,
        timeout=deadline.left(cap),
        headers=headers,
    )
    if result.status == "error":
        raise SourceError(result.reason or "fetch.error", retry_after=result.retry_after_seconds)
    return result


class SourceReader:
    """Turns a source into prepared articles; the poller stores them and keeps the health."""

    def __init__(self, services: Services, client: httpx.AsyncClient, pool: ParsingPool) -> None:
        self.services = services
        self.client = client
        self.pool = pool

    async def read(self, source: Source, context: PrepareContext, deadline: Deadline) -> Fetched:
        """Fetch (or read) `source` and prepare its articles in a worker; SourceError with a
        reason when it gives nothing usable, or when `deadline` passes."""
        if source.kind == "seed" and not source.url.startswith(("http://", "https://")):
            body = await asyncio.to_thread(
                read_seed_reference,
                source.url,
                seed_dir=self.services.settings.seed_dir,
                max_bytes=MAX_BYTES,
            )
            return Fetched(await self._prepare_seed(body, source, context, deadline))
        if source.kind == "govkz":
            return Fetched(await self._govkz(source, context, deadline))
        result = await self._get(
            source.url, deadline, etag=source.etag, last_modified=source.last_modified
        )
        if result.status == "not_modified":
            return Fetched(Prepared([], []), source.etag, source.last_modified, True)
        if source.kind == "seed":
            prepared = await self._prepare_seed(result.body, source, context, deadline)
        elif source.kind in _DOCUMENT_PARSERS:
            prepared = await self.pool.run(
                _DOCUMENT_PARSERS[source.kind],
                result.body,
                url=result.final_url,
                content_type=result.content_type,
                context=context,
                budget=deadline.left(),
            )
        elif source.kind == "listing":
            prepared = await self._listing(result, context, deadline)
        else:
            raise SourceError("source.bad_kind")
        return Fetched(prepared, result.etag, result.last_modified)

    async def _get(
        self,
        url: str,
        deadline: Deadline,
        *,
        cap: float = FETCH_TIMEOUT,
        etag: str | None = None,
        last_modified: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> FetchResult:
        return await fetch_or_fail(
            self.client,
            url,
            deadline,
            cap=cap,
            etag=etag,
            last_modified=last_modified,
            headers=headers,
        )

    async def _listing(
        self, page: FetchResult, context: PrepareContext, deadline: Deadline
    ) -> Prepared:
        """Articles linked from a listing page that are not stored yet (a few per poll)."""
        links = await self.pool.run(
            source_parsing.find_listing_links,
            page.body,
            url=page.final_url,
            limit=LISTING_ARTICLES * 3,
            content_type=page.content_type,
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
                    content_type=article_page.content_type,
                    now=context.now,
                    zone_name=context.zone_name,
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

    async def _govkz(self, source: Source, context: PrepareContext, deadline: Deadline) -> Prepared:
        """An entity's newest releases in each language, one request after another (no
        validators: the API gives none). A language that fails is skipped and logged; the
        source fails only when no language answered with releases, with the first failure's
        reason ("govkz.empty" only when every list was empty)."""
        slug = govkz.entity_slug(source.url)
        if slug is None:
            raise SourceError("govkz.address")
        prepared = Prepared([], [])
        answered = False
        failures: list[tuple[str, SourceError]] = []
        for language in govkz.LANGUAGES:
            left = context.max_items - len(prepared.inputs)
            if left <= 0:
                break
            url = govkz.news_url(self.services.settings.govkz_api_url, slug, language)
            try:
                # Both ways of asking for a language were seen in clients (govkz.md).
                page = await self._get(url, deadline, headers=govkz.request_headers(language))
                part = await self.pool.run(
                    source_parsing.prepare_govkz,
                    page.body,
                    slug=slug,
                    language=language,
                    context=replace(context, max_items=left),
                    budget=deadline.left(),
                )
            except SourceError as error:
                if error.reason == "poll.deadline":
                    raise
                reason = govkz.fetch_reason(error.reason)
                failures.append((language, SourceError(reason, retry_after=error.retry_after)))
                if error.retry_after is not None:
                    break  # the server asked us to come back later: no more requests now
                continue
            answered = True
            prepared = Prepared(
                [*prepared.inputs, *part.inputs],
                [*prepared.rejections, *part.rejections],
                prepared.dropped + part.dropped,
            )
        if failures and not answered:
            real = [error for _, error in failures if error.reason != govkz.EMPTY]
            first = (real or [error for _, error in failures])[0]
            raise SourceError(first.reason, retry_after=first.retry_after)
        if failures:
            logger.warning(
                "govkz source read in part id=%s failed=%s",
                source.id,
                ",".join(f"{language}:{error.reason}" for language, error in failures),
            )
        return prepared

    async def _prepare_seed(
        self, body: bytes, source: Source, context: PrepareContext, deadline: Deadline
    ) -> Prepared:
        return await self.pool.run(
            source_parsing.prepare_seed,
            body,
            name=source.name or source.url,
            context=context,
            budget=deadline.left(),
        )
