"""Polling live sources into a real database: feeds, seed files, health, backoff, pausing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from bot.clock import FixedClock
from bot.commands.common import load_tagger
from bot.i18n import default_translator
from bot.ingest.parse_worker import ParsingPool
from bot.ingest.poller import MAX_ITEMS_PER_POLL, SourcePoller
from bot.services import Services
from bot.settings import Settings
from bot.usecases import sources as source_use
from storage.engine import Database
from storage.models import Article, Source
from storage.queries import sources as source_queries
from tests.ingest.http_server import LocalServer, conditional, respond

FEEDS = Path(__file__).parents[1] / "data" / "feeds"
NOW = datetime(2025, 1, 14, 6, 0, tzinfo=UTC)
TAGGER = load_tagger()


@pytest.fixture
def services(database: Database) -> Services:
    settings = Settings(_env_file=None)
    return Services(database, FixedClock(NOW), settings, default_translator(), TAGGER)


async def _add(services: Services, url: str, kind: str, minutes: int = 30) -> int:
    async with services.database.write() as session:
        source = await source_use.add_source(session, services, url=url, kind=kind, minutes=minutes)
    assert source.id is not None
    return source.id


async def _source(services: Services, source_id: int) -> Source:
    async with services.database.read() as session:
        found = await source_queries.get(session, source_id=source_id)
    assert found is not None
    return found


async def _articles(services: Services) -> int:
    async with services.database.read() as session:
        return int((await session.execute(select(func.count()).select_from(Article))).scalar_one())


async def test_the_default_sources_include_the_bundled_seed_and_work_offline(
    services: Services, client: httpx.AsyncClient, parsing_pool: ParsingPool
) -> None:
    async with services.database.write() as session:
        assert await source_use.load_defaults(session, services) == 1
        assert await source_use.load_defaults(session, services) == 0, "loaded only once"
    poller = SourcePoller(services, client, parsing_pool)
    [result] = await poller.poll_due()
    assert (result.status, result.new) == ("ok", 20)
    assert await _articles(services) == 20
    assert await poller.poll_due() == [], "not due again before its interval"


async def test_a_feed_is_polled_with_conditional_get_and_a_304_costs_nothing(
    services: Services, client: httpx.AsyncClient, server: LocalServer, parsing_pool: ParsingPool
) -> None:
    body = (FEEDS / "rss-ru.xml").read_bytes()
    url = server.route(
        "/rss",
        conditional(
            body,
            content_type="application/rss+xml",
            etag='"v1"',
            last_modified="Mon, 13 Jan 2025 08:00:00 GMT",
        ),
    )
    source_id = await _add(services, url, "rss")
    poller = SourcePoller(services, client, parsing_pool)
    first = await poller.poll(source_id)
    assert first.status == "ok" and first.new > 0
    stored = await _articles(services)
    second = await poller.poll(source_id)
    assert (second.status, second.new) == ("not_modified", 0)
    assert server.hits("/rss")[-1].headers.get("if-none-match") == '"v1"'
    assert await _articles(services) == stored
    source = await _source(services, source_id)
    assert source.etag == '"v1"' and source.consecutive_failures == 0
    assert source.last_success_at == NOW


async def test_failures_back_off_then_pause_while_other_sources_go_on(
    services: Services, client: httpx.AsyncClient, server: LocalServer, parsing_pool: ParsingPool
) -> None:
    broken = await _add(services, server.route("/down", respond(503, b"down")), "rss", 10)
    fine = await _add(
        services,
        server.route(
            "/ok",
            respond(
                200,
                (FEEDS / "rss-en.xml").read_bytes(),
                headers=[("Content-Type", "application/rss+xml")],
            ),
        ),
        "rss",
        10,
    )
    poller = SourcePoller(services, client, parsing_pool)
    results = {r.source_id: r for r in await poller.poll_due()}
    assert results[fine].status == "ok" and results[fine].new > 0
    assert (results[broken].status, results[broken].reason) == ("error", "fetch.http_503")
    source = await _source(services, broken)
    assert source.consecutive_failures == 1 and source.last_error == "fetch.http_503"
    assert source.next_poll_at == NOW + timedelta(minutes=10)
    for attempt in range(2, 9):
        result = await poller.poll(broken)
        assert result.paused == (attempt == 8)
    source = await _source(services, broken)
    assert not source.enabled and source.consecutive_failures == 8


async def test_a_malformed_feed_and_an_html_error_page_store_nothing(
    services: Services, client: httpx.AsyncClient, server: LocalServer, parsing_pool: ParsingPool
) -> None:
    malformed = await _add(
        services,
        server.route(
            "/bad",
            respond(
                200,
                (FEEDS / "malformed.xml").read_bytes(),
                headers=[("Content-Type", "application/xml")],
            ),
        ),
        "rss",
    )
    html = await _add(
        services,
        server.route(
            "/html",
            respond(
                200,
                (FEEDS / "error-page.html").read_bytes(),
                headers=[("Content-Type", "application/xml")],
            ),
        ),
        "rss",
    )
    poller = SourcePoller(services, client, parsing_pool)
    bad = await poller.poll(malformed)
    page = await poller.poll(html)
    assert bad.status == page.status == "error"
    assert bad.reason and bad.reason.startswith("feed.")
    assert page.reason == "feed.html_page"
    assert await _articles(services) == 0


async def test_bad_source_addresses_are_refused(services: Services) -> None:
    async with services.database.write() as session:
        with pytest.raises(source_use.SourceInputError, match=r"sources\.bad_url"):
            await source_use.add_source(session, services, url="ftp://x.kz/feed", kind="rss")
        with pytest.raises(source_use.SourceInputError, match=r"sources\.bad_minutes"):
            await source_use.add_source(session, services, url="https://x.kz/rss", minutes=1)
        await source_use.add_source(session, services, url="https://x.kz/rss")
        with pytest.raises(source_use.SourceInputError, match=r"sources\.exists"):
            await source_use.add_source(session, services, url="https://x.kz/rss")
        for malformed in ("http://[abc/rss", "https://x.kz:port/rss", "https://x.kz/a b"):
            with pytest.raises(source_use.SourceInputError, match=r"sources\.bad_url"):
                await source_use.add_source(session, services, url=malformed, kind="rss")
        with pytest.raises(source_use.SourceInputError, match=r"sources\.url_too_long"):
            await source_use.add_source(session, services, url="https://x.kz/" + "a" * 3000)
        assert await source_use.find_source(session, reference="9" * 5000) is None
        assert await source_use.find_source(session, reference="99999999999999999999") is None


def test_kinds_are_guessed_from_the_address() -> None:
    assert source_use.guess_kind("https://x.kz/news/rss") == "rss"
    assert source_use.guess_kind("https://x.kz/dump.txt") == "seed"
    assert source_use.guess_kind("bundled:file.txt") == "seed"
    assert source_use.guess_kind("https://www.gov.kz/memleket/entities/karaganda/press/news") == (
        "govkz"  # its pages are an empty JavaScript shell: read through the API
    )


def _streamed(body: bytes, content_type: str) -> httpx.Response:
    """A response as a network transport gives it: a body still to be read."""
    return httpx.Response(
        200, stream=httpx.ByteStream(body), headers={"Content-Type": content_type}
    )


async def test_an_unexpected_error_is_that_sources_failure_and_the_tick_goes_on(
    services: Services, parsing_pool: ParsingPool, caplog: pytest.LogCaptureFixture
) -> None:
    feed = (FEEDS / "rss-en.xml").read_bytes()

    def network(request: httpx.Request) -> httpx.Response:
        if request.url.host == "broken.example.kz":
            raise RuntimeError("a bug below the fetcher")
        return _streamed(feed, "application/rss+xml")

    broken = await _add(services, "https://broken.example.kz/rss", "rss", 10)
    fine = await _add(services, "https://fine.example.kz/rss", "rss", 10)
    async with httpx.AsyncClient(transport=httpx.MockTransport(network)) as client:
        results = {
            r.source_id: r for r in await SourcePoller(services, client, parsing_pool).poll_due()
        }
    assert results[fine].status == "ok" and results[fine].new > 0
    assert (results[broken].status, results[broken].reason) == ("error", "fetch.internal")
    source = await _source(services, broken)
    assert source.last_error == "fetch.internal" and source.consecutive_failures == 1
    assert source.next_poll_at == NOW + timedelta(minutes=10), "no longer due at once"
    logged = [r for r in caplog.records if r.exc_info and "unexpectedly" in r.getMessage()]
    assert len(logged) == 1, "the stack is logged once"


async def test_a_runaway_feed_stores_only_its_newest_items(
    services: Services, parsing_pool: ParsingPool
) -> None:
    def stamp(n: int) -> str:
        return format_datetime(NOW - timedelta(minutes=n))

    items = "".join(
        f"<item><title>Story {n} of the flood</title><description>Text {n}.</description>"
        f"<link>https://flood.example.kz/{n}</link><pubDate>{stamp(n)}</pubDate></item>"
        for n in range(5_000)
    )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()

    def network(request: httpx.Request) -> httpx.Response:
        return _streamed(feed, "application/rss+xml")

    source_id = await _add(services, "https://flood.example.kz/rss", "rss")
    async with httpx.AsyncClient(transport=httpx.MockTransport(network)) as client:
        result = await SourcePoller(services, client, parsing_pool).poll(source_id)
    assert (result.status, result.new) == ("ok", MAX_ITEMS_PER_POLL)
    async with services.database.read() as session:
        titles = set((await session.execute(select(Article.title))).scalars())
    assert (
        "Story 0 of the flood" in titles
        and f"Story {MAX_ITEMS_PER_POLL - 1} of the flood" in titles
    )
    assert f"Story {MAX_ITEMS_PER_POLL} of the flood" not in titles


async def test_a_page_without_an_article_is_a_recorded_reason(
    services: Services, parsing_pool: ParsingPool
) -> None:
    shell = (
        b"<!doctype html><html><head><title>Portal</title><script src='/app.js'></script>"
        b"</head><body><noscript>You need to enable JavaScript to run this app.</noscript>"
        b"<div id='root'></div></body></html>"
    )

    def network(request: httpx.Request) -> httpx.Response:
        return _streamed(shell, "text/html")

    source_id = await _add(services, "https://portal.example.kz/news/1", "page")
    async with httpx.AsyncClient(transport=httpx.MockTransport(network)) as client:
        result = await SourcePoller(services, client, parsing_pool).poll(source_id)
    assert (result.status, result.reason) == ("error", "page.no_content")
    assert await _articles(services) == 0
