"""fetch() against a real local server: every kind of trouble ends in a result, never a raise."""

from __future__ import annotations

import gzip
import socket
import time
import tracemalloc
import zlib
from collections.abc import Awaitable
from datetime import UTC, datetime

import httpx
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.clock import FixedClock
from bot.ingest.fetch import FetchResult, fetch, retry_after_seconds
from bot.ingest.http_client import source_client
from bot.settings import Settings
from tests.ingest.bombs import gzip_bomb
from tests.ingest.conftest import MAX_REDIRECTS
from tests.ingest.http_server import (
    LocalServer,
    conditional,
    encoded,
    endless,
    huge,
    in_pieces,
    redirect,
    respond,
    truncated,
)
from tests.ingest.samples import feed_bytes

ETAG = '"rss-v1"'
MODIFIED = "Mon, 13 Jan 2025 05:30:00 GMT"
MB = 1024 * 1024


async def get(
    client: httpx.AsyncClient,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = MB,
    deadline: float = 5.0,
) -> FetchResult:
    return await fetch(
        client, url, etag=etag, last_modified=last_modified, max_bytes=max_bytes, timeout=deadline
    )


async def test_ok_returns_body_and_validators(
    server: LocalServer, client: httpx.AsyncClient
) -> None:
    body = feed_bytes("rss-ru.xml")
    url = server.route(
        "/rss",
        conditional(body, content_type="application/rss+xml", etag=ETAG, last_modified=MODIFIED),
    )
    result = await get(client, url)
    assert result == FetchResult(
        "ok", body, url, "application/rss+xml", ETAG, MODIFIED, reason=None
    )
    request = server.hits("/rss")[0]
    assert "if-none-match" not in request.headers
    assert request.headers["user-agent"] == "newsdigest-tests/1.0"


@pytest.mark.parametrize(
    ("etag", "last_modified", "sent"),
    [
        (ETAG, MODIFIED, {"if-none-match": ETAG, "if-modified-since": MODIFIED}),
        (ETAG, None, {"if-none-match": ETAG}),
        (None, MODIFIED, {"if-modified-since": MODIFIED}),
    ],
)
async def test_conditional_get_reports_not_modified(
    server: LocalServer,
    client: httpx.AsyncClient,
    etag: str | None,
    last_modified: str | None,
    sent: dict[str, str],
) -> None:
    url = server.route(
        "/rss",
        conditional(
            b"<rss/>", content_type="application/rss+xml", etag=ETAG, last_modified=MODIFIED
        ),
    )
    result = await get(client, url, etag=etag, last_modified=last_modified)
    assert result.status == "not_modified"
    assert result.body == b""
    assert (result.etag, result.last_modified, result.reason) == (ETAG, MODIFIED, None)
    [request] = server.hits("/rss")
    validators = {k: v for k, v in request.headers.items() if k.startswith("if-")}
    assert validators == sent


async def test_changed_document_is_fetched_again(
    server: LocalServer, client: httpx.AsyncClient
) -> None:
    url = server.route(
        "/rss",
        conditional(b"<rss>2</rss>", content_type="text/xml", etag='"v2"', last_modified=MODIFIED),
    )
    result = await get(client, url, etag=ETAG, last_modified="Sun, 12 Jan 2025 00:00:00 GMT")
    assert (result.status, result.body, result.etag) == ("ok", b"<rss>2</rss>", '"v2"')


async def test_validators_that_cannot_be_sent_are_dropped(
    server: LocalServer, client: httpx.AsyncClient
) -> None:
    url = server.route("/rss", respond(200, b"<rss/>"))
    result = await get(client, url, etag='"a"\r\nX-Injected: 1', last_modified="пн, 13 янв")
    assert result.status == "ok"
    [request] = server.hits("/rss")
    assert "x-injected" not in request.headers
    assert not {"if-none-match", "if-modified-since"} & request.headers.keys()


@pytest.mark.parametrize(
    ("status", "headers", "reason", "retry_after"),
    [
        (429, [("Retry-After", "120")], "fetch.http_429", 120.0),
        (503, [("Retry-After", "3600")], "fetch.http_503", 3600.0),
        (
            503,
            [
                ("Date", "Mon, 13 Jan 2025 10:00:00 GMT"),
                ("Retry-After", "Mon, 13 Jan 2025 10:05:00 GMT"),
            ],
            "fetch.http_503",
            300.0,
        ),
        (503, [], "fetch.http_503", None),
        (500, [("Retry-After", "soon")], "fetch.http_500", None),
        (404, [("Retry-After", "60")], "fetch.http_404", None),
        (403, [], "fetch.http_403", None),
    ],
)
async def test_error_statuses_carry_reason_and_retry_after(
    server: LocalServer,
    client: httpx.AsyncClient,
    status: int,
    headers: list[tuple[str, str]],
    reason: str,
    retry_after: float | None,
) -> None:
    url = server.route("/busy", respond(status, b"<html>busy</html>", headers=headers))
    result = await get(client, url)
    assert (result.status, result.reason, result.retry_after_seconds) == (
        "error",
        reason,
        retry_after,
    )
    assert result.body == b""


async def test_retry_after_date_without_server_date_uses_the_clock(
    server: LocalServer, client: httpx.AsyncClient
) -> None:
    # aiohttp always sends a Date header: an unreadable one is as good as none.
    headers = [("Retry-After", "Mon, 13 Jan 2025 10:01:30 GMT"), ("Date", "unknown")]
    url = server.route("/busy", respond(429, headers=headers))
    clock = FixedClock(datetime(2025, 1, 13, 10, 0, tzinfo=UTC))
    result = await fetch(
        client, url, etag=None, last_modified=None, max_bytes=MB, timeout=5, clock=clock
    )
    assert result.retry_after_seconds == 90.0


async def test_redirects_are_followed_to_the_final_url(
    server: LocalServer, client: httpx.AsyncClient
) -> None:
    server.route("/old", redirect("/moved"))
    server.route("/moved", redirect(server.url("/new"), status=301))
    target = server.route("/new", respond(200, b"<rss/>", headers=[("Content-Type", "text/xml")]))
    result = await get(client, server.url("/old"))
    assert (result.status, result.final_url, result.body) == ("ok", target, b"<rss/>")


async def test_redirect_loop_is_a_reason(server: LocalServer, client: httpx.AsyncClient) -> None:
    server.route("/a", redirect("/b"))
    server.route("/b", redirect("/a"))
    result = await get(client, server.url("/a"))
    assert (result.status, result.reason) == ("error", "fetch.too_many_redirects")
    assert len(server.requests) == MAX_REDIRECTS + 1


async def test_too_many_redirects_is_a_reason(
    server: LocalServer, client: httpx.AsyncClient
) -> None:
    hops = MAX_REDIRECTS + 2
    for hop in range(hops):
        server.route(f"/hop{hop}", redirect(f"/hop{hop + 1}"))
    server.route(f"/hop{hops}", respond(200, b"never reached"))
    result = await get(client, server.url("/hop0"))
    assert result.reason == "fetch.too_many_redirects"


@pytest.mark.parametrize("declare_length", [True, False])
async def test_huge_body_stops_at_max_bytes(
    server: LocalServer, client: httpx.AsyncClient, declare_length: bool
) -> None:
    url = server.route("/huge", huge(50 * MB, declare_length=declare_length))
    started = time.monotonic()
    result = await get(client, url, max_bytes=MB)
    assert (result.status, result.reason, result.body) == ("error", "fetch.too_large", b"")
    assert time.monotonic() - started < 3


async def test_body_of_exactly_max_bytes_is_accepted(
    server: LocalServer, client: httpx.AsyncClient
) -> None:
    url = server.route("/exact", huge(MB, declare_length=False))
    result = await get(client, url, max_bytes=MB)
    assert (result.status, len(result.body)) == ("ok", MB)


async def test_cap_counts_decoded_bytes(server: LocalServer, client: httpx.AsyncClient) -> None:
    bomb = gzip.compress(b"\0" * (4 * MB))
    url = server.route("/bomb", respond(200, bomb, headers=[("Content-Encoding", "gzip")]))
    result = await get(client, url, max_bytes=MB)
    assert len(bomb) < MB
    assert result.reason == "fetch.too_large"


async def test_endless_trickle_ends_at_the_total_deadline(
    server: LocalServer, client: httpx.AsyncClient
) -> None:
    url = server.route("/endless", endless(interval=0.02))
    started = time.monotonic()
    result = await get(client, url, max_bytes=50 * MB, deadline=0.5)
    elapsed = time.monotonic() - started
    assert (result.status, result.reason) == ("error", "fetch.timeout")
    assert 0.4 < elapsed < 2.0


async def test_truncated_body_is_a_protocol_reason(
    server: LocalServer, client: httpx.AsyncClient
) -> None:
    url = server.route("/short", truncated(1000, b"<rss>only part"))
    result = await get(client, url)
    assert (result.status, result.reason) == ("error", "fetch.protocol")


async def test_refused_connection_is_a_reason(client: httpx.AsyncClient) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = await get(client, f"http://127.0.0.1:{port}/rss")
    assert (result.status, result.reason) == ("error", "fetch.connection")


@pytest.mark.parametrize("url", ["http://", "not a url", "http://[::1", "//example.com/rss"])
async def test_unusable_urls_are_a_reason(client: httpx.AsyncClient, url: str) -> None:
    result = await get(client, url)
    assert (result.status, result.reason) == ("error", "fetch.invalid_url")


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1/feed", "file:///etc/passwd", "gopher://127.0.0.1/", "ws://a.b/"]
)
async def test_other_schemes_are_refused(client: httpx.AsyncClient, url: str) -> None:
    result = await get(client, url)
    assert (result.status, result.reason) == ("error", "fetch.unsupported_scheme")


@pytest.mark.parametrize(
    "location", ["ftp://127.0.0.1/feed", "file:///etc/passwd", "ws://127.0.0.1/socket"]
)
async def test_redirect_to_another_scheme_is_refused(server: LocalServer, location: str) -> None:
    url = server.route("/feed", redirect(location))
    async with source_client(Settings(_env_file=None, allow_private_sources=True)) as http:
        result = await get(http, url)
    assert (result.status, result.reason) == ("error", "fetch.unsupported_scheme")
    assert len(server.requests) == 1


NOW = datetime(2025, 1, 13, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("Mon, 13 Jan 2025 10:02:00 GMT", 120.0),
        ("Mon, 13 Jan 2025 09:00:00 GMT", 0.0),  # already past: retry now
        ("Mon, 13 Jan 2025 10:00:30 -0000", 30.0),
        ("-5", None),
        ("1.5", None),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_values(value: str | None, seconds: float | None) -> None:
    assert retry_after_seconds(value, now=NOW) == seconds


@given(st.integers(min_value=0, max_value=10**9))
def test_retry_after_delta_seconds_round_trip(delay: int) -> None:
    assert retry_after_seconds(str(delay), now=NOW) == float(delay)


@given(st.text(max_size=40))
@example("²")
@example("١٢")
def test_retry_after_never_raises(value: str) -> None:
    seconds = retry_after_seconds(value, now=NOW)
    assert seconds is None or seconds >= 0


# Content-Encoding: decoded here, one layer at most, never past the cap ---------------------

FEED = b"<rss><channel><title>News</title></channel></rss>" * 200


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


async def peak_memory(work: Awaitable[FetchResult]) -> tuple[FetchResult, int]:
    """The result of `work` and the most memory Python held while it ran (server included)."""
    tracemalloc.start()
    try:
        result = await work
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        ("gzip", gzip.compress(FEED)),
        ("x-gzip", gzip.compress(FEED)),
        ("GZIP", gzip.compress(FEED)),
        ("deflate", zlib.compress(FEED)),
        ("deflate", raw_deflate(FEED)),
        ("identity", FEED),
        ("identity, gzip", gzip.compress(FEED)),
    ],
)
@pytest.mark.parametrize("piece", [1, 7, 64 * 1024])
async def test_one_compression_is_decoded(
    server: LocalServer, client: httpx.AsyncClient, encoding: str, body: bytes, piece: int
) -> None:
    headers = [("Content-Encoding", encoding)]
    url = server.route("/rss", in_pieces(body, piece=piece, headers=headers))
    result = await get(client, url)
    assert (result.status, result.body) == ("ok", FEED)


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
async def test_empty_compressed_body_is_empty(
    server: LocalServer, client: httpx.AsyncClient, encoding: str
) -> None:
    url = server.route("/rss", encoded(b"", encoding=encoding))
    result = await get(client, url)
    assert (result.status, result.body) == ("ok", b"")


@pytest.mark.parametrize(
    ("encoding", "body", "reason"),
    [
        ("gzip, gzip", gzip.compress(gzip.compress(FEED)), "fetch.encoding"),
        ("deflate, gzip", gzip.compress(zlib.compress(FEED)), "fetch.encoding"),
        ("br", b"\x0b\x02\x80hello\x03", "fetch.encoding"),
        ("zstd", b"(\xb5/\xfd", "fetch.encoding"),
        ("compress", b"\x1f\x9d", "fetch.encoding"),
        ("x-unknown", FEED, "fetch.encoding"),
        ("gzip", b"this is not gzip at all", "fetch.decoding"),
        ("gzip", gzip.compress(FEED)[:-40], "fetch.decoding"),  # cut short
        ("gzip", gzip.compress(FEED)[:10] + b"\xff" * 50, "fetch.decoding"),
        ("deflate", b"\xff\xff\xff\xff", "fetch.decoding"),
        ("deflate", b"x", "fetch.decoding"),
    ],
)
async def test_unusable_encodings_are_a_reason(
    server: LocalServer, client: httpx.AsyncClient, encoding: str, body: bytes, reason: str
) -> None:
    url = server.route("/rss", encoded(body, encoding=encoding))
    result = await get(client, url)
    assert (result.status, result.reason, result.body) == ("error", reason, b"")


@pytest.mark.parametrize("excess", [0, 1])
async def test_cap_is_exact_for_decoded_bytes(
    server: LocalServer, client: httpx.AsyncClient, excess: int
) -> None:
    limit = 100_000
    body = bytes(range(256)) * (limit // 256) + b"x" * (limit % 256 + excess)
    url = server.route("/rss", encoded(gzip.compress(body), encoding="gzip"))
    result = await get(client, url, max_bytes=limit)
    assert (result.status, len(result.body)) == (("ok", limit) if not excess else ("error", 0))


async def test_gzip_bomb_stops_at_the_cap_in_little_memory(
    server: LocalServer, client: httpx.AsyncClient
) -> None:
    bomb = gzip_bomb()
    assert len(bomb) < 2 * MB
    url = server.route("/bomb", encoded(bomb, encoding="gzip"))
    result, peak = await peak_memory(get(client, url, max_bytes=10 * MB))
    assert (result.status, result.reason) == ("error", "fetch.too_large")
    assert peak < 50 * MB


async def test_nested_gzip_bomb_is_refused_in_little_memory(
    server: LocalServer, client: httpx.AsyncClient
) -> None:
    bomb = gzip.compress(gzip_bomb())
    url = server.route("/bomb", encoded(bomb, encoding="gzip, gzip"))
    result, peak = await peak_memory(get(client, url, max_bytes=10 * MB))
    assert (result.status, result.reason) == ("error", "fetch.encoding")
    assert peak < 50 * MB


async def test_redirect_body_is_never_decoded(
    server: LocalServer, client: httpx.AsyncClient
) -> None:
    """httpx would read and inflate a redirect's body in full before following it."""
    headers = [("Location", "/rss"), ("Content-Encoding", "gzip")]
    server.route("/old", respond(302, gzip_bomb(), headers=headers))
    server.route("/rss", respond(200, FEED))
    result, peak = await peak_memory(get(client, server.url("/old"), max_bytes=10 * MB))
    assert (result.status, result.body) == ("ok", FEED)
    assert peak < 50 * MB


# The source client ------------------------------------------------------------------------


async def test_source_client_refuses_private_addresses_by_default(server: LocalServer) -> None:
    url = server.route("/rss", respond(200, FEED))
    async with source_client(Settings(_env_file=None)) as http:
        result = await get(http, url)
    assert (result.status, result.reason) == ("error", "fetch.private_address")
    assert server.requests == []


async def test_source_client_fetches_private_addresses_when_allowed(
    server: LocalServer,
) -> None:
    url = server.route("/rss", respond(200, FEED))
    settings = Settings(_env_file=None, allow_private_sources=True, user_agent="digest-test/2")
    async with source_client(settings) as http:
        result = await get(http, url)
    assert (result.status, result.body) == ("ok", FEED)
    [request] = server.requests
    assert request.headers["user-agent"] == "digest-test/2"
    assert request.headers["accept-encoding"] == "gzip, deflate"


async def test_source_client_ignores_proxies_from_the_environment(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A proxy would make the connection for us, out of the address rule's sight."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{dead_port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    url = server.route("/rss", respond(200, FEED))
    async with source_client(Settings(_env_file=None, allow_private_sources=True)) as http:
        result = await get(http, url)
    assert (result.status, result.body) == ("ok", FEED)
