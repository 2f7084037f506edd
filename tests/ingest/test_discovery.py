"""Feed discovery against local sites: declared feeds, the usual paths, nothing, and sites
that are slow, huge or point elsewhere; always within the request budget and the deadline."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from ipaddress import ip_network

import httpx
import pytest

from bot.ingest.discovery import COMMON_PATHS, MAX_REQUESTS, Candidate, discover
from bot.ingest.errors import SourceError
from bot.ingest.http_client import source_client
from bot.ingest.parse_worker import ParsingPool
from bot.settings import Settings
from tests.ingest.http_server import LocalServer, endless, huge, redirect, respond, running_server
from tests.ingest.samples import feed_bytes

RSS = [("Content-Type", "application/rss+xml")]
HTML = [("Content-Type", "text/html; charset=utf-8")]
EN_TITLE = "Ministry of Energy — press releases"


def page(*links: str) -> bytes:
    """A home page declaring `links` as `<link>` elements in its head."""
    head = "".join(links)
    return (
        f"<!DOCTYPE html><html><head><title>Site</title>{head}</head>"
        "<body><h1>News</h1><a href='/news/1'>One</a></body></html>"
    ).encode()


def alternate(href: str, media_type: str = "application/rss+xml") -> str:
    return f'<link rel="alternate" type="{media_type}" href="{href}" title="Feed">'


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """The bot's guarded client, allowed to reach the tests' servers on 127.0.0.1 only."""
    settings = Settings(_env_file=None, private_source_networks=(ip_network("127.0.0.1/32"),))
    async with source_client(settings) as http:
        yield http


async def test_declared_feeds_are_found_with_titles_and_counts(
    server: LocalServer, client: httpx.AsyncClient, parsing_pool: ParsingPool
) -> None:
    server.route(
        "/",
        respond(
            200,
            page(
                alternate("/ru/rss.xml"),
                alternate("kk/feed.atom", "application/atom+xml"),
                alternate("/comments/feed", "application/rss+xml; charset=utf-8"),
                '<link rel="stylesheet" type="text/css" href="/style.css">',
            ),
            headers=HTML,
        ),
    )
    server.route("/ru/rss.xml", respond(200, feed_bytes("rss-ru.xml"), headers=RSS))
    server.route("/kk/feed.atom", respond(200, feed_bytes("atom-kk.xml")))
    server.route("/comments/feed", respond(200, feed_bytes("error-page.html"), headers=HTML))

    found = await discover(client, parsing_pool, server.url("/"), deadline=20)

    assert found == [
        Candidate(server.url("/ru/rss.xml"), "Пресс-служба акимата Карагандинской области", 3),
        Candidate(server.url("/kk/feed.atom"), "Түркістан облысы әкімдігі", 3),
    ], "the comments 'feed' is an HTML page: not a candidate"
    assert not any(server.hits(path) for path in COMMON_PATHS), "declared feeds came first"
    assert not server.hits("/style.css")


async def test_a_site_without_declared_feeds_is_tried_at_feed(
    server: LocalServer, client: httpx.AsyncClient, parsing_pool: ParsingPool
) -> None:
    server.route("/", respond(200, page(), headers=HTML))
    server.route("/feed/", respond(200, feed_bytes("rss-en.xml"), headers=RSS))

    found = await discover(client, parsing_pool, server.url("/"), deadline=20)

    assert found == [Candidate(server.url("/feed/"), EN_TITLE, 2)]
    assert [r.path for r in server.requests] == ["/", "/feed/"], "the first usual path is enough"


async def test_the_usual_paths_are_tried_in_order_up_to_the_first_feed(
    server: LocalServer, client: httpx.AsyncClient, parsing_pool: ParsingPool
) -> None:
    server.route("/news", respond(200, page(), headers=HTML))
    server.route("/rss", respond(200, b"<html><body>Not a feed</body></html>", headers=HTML))
    server.route("/rss.xml", respond(200, feed_bytes("rss-cp1251.xml"), headers=RSS))
    server.route("/feed.xml", respond(200, feed_bytes("rss-en.xml"), headers=RSS))

    found = await discover(client, parsing_pool, server.url("/news"), deadline=20)

    assert found == [Candidate(server.url("/rss.xml"), "Акимат Павлодарской области", 2)]
    assert [r.path for r in server.requests] == ["/news", "/feed/", "/rss", "/rss.xml"]


async def test_a_site_with_no_feed_gives_nothing_within_the_request_budget(
    server: LocalServer, client: httpx.AsyncClient, parsing_pool: ParsingPool
) -> None:
    links = [alternate(f"/missing/{n}.xml") for n in range(10)]
    server.route("/", respond(200, page(*links), headers=HTML))

    assert await discover(client, parsing_pool, server.url("/"), deadline=20) == []
    assert len(server.requests) == MAX_REQUESTS
    assert [r.path for r in server.requests][-3:] == list(COMMON_PATHS[:3])


async def test_a_feed_address_is_its_own_candidate(
    server: LocalServer, client: httpx.AsyncClient, parsing_pool: ParsingPool
) -> None:
    url = server.route("/energy", respond(200, feed_bytes("rss-en.xml"), headers=RSS))

    assert await discover(client, parsing_pool, url, deadline=20) == [Candidate(url, EN_TITLE, 2)]
    assert len(server.requests) == 1


async def test_an_empty_feed_with_a_title_counts_but_an_empty_document_does_not(
    server: LocalServer, client: httpx.AsyncClient, parsing_pool: ParsingPool
) -> None:
    empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    server.route("/", respond(200, page(alternate("/a.xml"), alternate("/b.xml")), headers=HTML))
    server.route("/a.xml", respond(200, b'<rss version="2.0"><channel/></rss>', headers=RSS))
    server.route("/b.xml", respond(200, empty, headers=RSS))

    found = await discover(client, parsing_pool, server.url("/"), deadline=20)

    assert found == [Candidate(server.url("/b.xml"), "Quiet", 0)]


async def test_feeds_on_other_sites_are_ignored(
    server: LocalServer, client: httpx.AsyncClient, parsing_pool: ParsingPool
) -> None:
    async with running_server() as other:
        elsewhere = other.route("/rss.xml", respond(200, feed_bytes("rss-en.xml"), headers=RSS))
        server.route("/", respond(200, page(alternate(elsewhere)), headers=HTML))
        server.route("/feed/", redirect(elsewhere))  # a usual path sending us away counts neither

        assert await discover(client, parsing_pool, server.url("/"), deadline=20) == []
        assert len(other.requests) == 1, "only the redirect was followed, and not kept"
        assert server.hits("/rss"), "the declared feed was skipped, the usual paths tried"


async def test_a_page_that_cannot_be_read_says_why(
    server: LocalServer, client: httpx.AsyncClient, parsing_pool: ParsingPool
) -> None:
    server.route("/gone", respond(404))
    with pytest.raises(SourceError) as missing:
        await discover(client, parsing_pool, server.url("/gone"), deadline=20)
    assert missing.value.reason == "fetch.http_404"
    assert len(server.requests) == 1


async def test_a_huge_page_is_cut_off_at_the_byte_cap(
    server: LocalServer, client: httpx.AsyncClient, parsing_pool: ParsingPool
) -> None:
    server.route("/", huge(30 * 1024 * 1024, declare_length=False))
    started = time.monotonic()
    with pytest.raises(SourceError) as huge_page:
        await discover(client, parsing_pool, server.url("/"), deadline=20)
    assert huge_page.value.reason == "fetch.too_large"
    assert time.monotonic() - started < 10


async def test_a_slow_page_ends_at_the_deadline(
    server: LocalServer, client: httpx.AsyncClient, parsing_pool: ParsingPool
) -> None:
    server.route("/", endless(interval=0.1, piece=b"<p>"))
    started = time.monotonic()
    with pytest.raises(SourceError) as slow:
        await discover(client, parsing_pool, server.url("/"), deadline=1.5)
    assert slow.value.reason == "fetch.timeout"
    assert time.monotonic() - started < 3


async def test_slow_candidates_end_at_the_deadline_with_what_was_found(
    server: LocalServer, client: httpx.AsyncClient, parsing_pool: ParsingPool
) -> None:
    declared = page(alternate("/good.xml"), alternate("/drip.xml"), alternate("/late.xml"))
    server.route("/", respond(200, declared, headers=HTML))
    server.route("/good.xml", respond(200, feed_bytes("rss-en.xml"), headers=RSS))
    server.route("/drip.xml", endless(interval=0.1))
    server.route("/late.xml", respond(200, feed_bytes("rss-ru.xml"), headers=RSS))
    started = time.monotonic()

    found = await discover(client, parsing_pool, server.url("/"), deadline=3)

    assert found == [Candidate(server.url("/good.xml"), EN_TITLE, 2)]
    assert time.monotonic() - started < 5
    assert not server.hits("/late.xml"), "no time was left for it"
