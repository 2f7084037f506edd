"""Hostile sources for the live-chain tests: bombs, drips, floods and pages written to exploit
a feed reader. Every body is generated here; nothing is copied from the web."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
from collections.abc import Iterator

from aiohttp import web

from tests.ingest.bombs import gzip_bomb
from tests.ingest.http_server import Handler, respond


def served_gzip(body: bytes, encoding: str = "gzip") -> Handler:
    return respond(
        200,
        body,
        headers=[("Content-Type", "application/rss+xml"), ("Content-Encoding", encoding)],
    )


def nested_gzip_bomb(size: int) -> bytes:
    return gzip.compress(gzip_bomb(size), compresslevel=9)


def drip(seconds_per_byte: float, *, content_type: str = "application/rss+xml") -> Handler:
    """A body that trickles one byte at a time, for ever."""

    async def handler(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": content_type})
        await response.prepare(request)
        with contextlib.suppress(ConnectionError):
            while True:
                await response.write(b"<")
                await asyncio.sleep(seconds_per_byte)
        return response

    return handler


def html(body: str) -> Handler:
    return respond(200, body.encode(), headers=[("Content-Type", "text/html; charset=utf-8")])


def listing_page(links: list[str]) -> str:
    anchors = "".join(
        f'<li><a href="{link}">Story {n} of the day</a></li>' for n, link in enumerate(links)
    )
    return (
        f"<html><head><title>News</title></head><body><main><ul>{anchors}</ul></main></body></html>"
    )


def flood_feed(items: int) -> bytes:
    """An RSS document of `items` small undated items."""
    entries = "".join(
        f"<item><title>Flood item {n}</title><description>Flood text {n}.</description></item>"
        for n in range(items)
    )
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>Flood</title>'
    return f"{head}{entries}</channel></rss>".encode()


def _item(title: str, body: str, link: str) -> str:
    return (
        f"<item><title>{title}</title><description>{body}</description><link>{link}</link></item>"
    )


def rss_items(items: Iterator[str] | list[str], *, doctype: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{doctype}<rss version="2.0"><channel>'
        f"<title>Test feed</title>{''.join(items)}</channel></rss>"
    ).encode()


BILLION_LAUGHS = rss_items(
    [_item("&lol9;", "Laughs", "https://laughs.example.kz/1")],
    doctype=(
        '<!DOCTYPE rss [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
            for n in range(1, 10)
        )
        + "]>"
    ),
)
EXTERNAL_ENTITY = rss_items(
    [_item("Leak &xxe;", "Secret &xxe; here", "https://xxe.example.kz/1")],
    doctype='<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
)
GOOD_BODY = "The akimat of Pavlodar region reported on the heating season in its districts."
INVALID_REFERENCE = rss_items(
    [
        _item("Pavlodar heating season starts", GOOD_BODY, "https://ok.example.kz/1"),
        _item("Bad &#0; reference &#xD800; here", GOOD_BODY + " Two.", "https://ok.example.kz/2"),
        _item(
            "Pavlodar schools ready for winter", GOOD_BODY + " Three.", "https://ok.example.kz/3"
        ),
    ]
)
HUGE_TITLE = rss_items(
    [_item("Pavlodar " + "very " * 200_000 + "long title", GOOD_BODY, "https://big.example.kz/1")]
)
CONTROL_TITLE = rss_items(
    [_item("Pavlodar\x00 news &#x202E;gnp.exe", GOOD_BODY, "https://ctl.example.kz/1")]
)
BACKTRACKING = b"<!---->" * 40 + b"<!--" * 20 + b"x"
JS_SHELL = (
    "<!doctype html><html><head><title>Portal</title><script src='/static/app.js'></script>"
    "</head><body><noscript>You need to enable JavaScript to run this app.</noscript>"
    "<div id='root'></div></body></html>"
)
ADMIN_PANEL = (
    "<html><head><title>Admin panel</title></head><body><article><h1>Admin panel</h1>"
    "<p>Service credentials: user admin, password hunter2. Do not share this page.</p>"
    "<p>Database: postgres://admin:hunter2@10.0.0.5/prod is the primary.</p></article>"
    "</body></html>"
)


def respond_xml(body: bytes) -> Handler:
    return respond(200, body, headers=[("Content-Type", "application/rss+xml")])
