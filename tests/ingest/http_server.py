"""A tiny HTTP/1.1 server on 127.0.0.1 for fetch tests: per-test routes, recorded requests.

It runs on the test's own event loop (asyncio streams), answers one request per connection
(`Connection: close`) and lets misbehaving routes (endless, huge) run until the client hangs up.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field

CHUNK = 64 * 1024
REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    304: "Not Modified",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


@dataclass(frozen=True)
class Request:
    method: str
    target: str
    headers: dict[str, str]  # lower-case names

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]


@dataclass
class Exchange:
    """What a route handler gets: the request, the stream to answer on, and hang-up news."""

    request: Request
    writer: asyncio.StreamWriter
    hung_up: asyncio.Task[bytes]

    async def head(self, status: int, headers: Iterable[tuple[str, str]] = ()) -> None:
        lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in headers]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        await self.writer.drain()

    async def send(self, data: bytes) -> bool:
        """Write a piece of body; False once the client has gone."""
        if self.hung_up.done() or self.writer.is_closing():
            return False
        self.writer.write(data)
        try:
            await self.writer.drain()
        except ConnectionError:
            return False
        return True


Handler = Callable[[Exchange], Awaitable[None]]


@dataclass
class LocalServer:
    """Routes by path; `requests` records every request in arrival order."""

    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    _server: asyncio.Server | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._connection, "127.0.0.1", 0)

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, handler: Handler) -> str:
        """Serve `handler` at `path`; returns the full URL."""
        self.routes[path] = handler
        return self.url(path)

    def hits(self, path: str) -> list[Request]:
        return [request for request in self.requests if request.path == path]

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        hung_up: asyncio.Task[bytes] | None = None
        try:
            request = await _read_request(reader)
            if request is None:
                return
            self.requests.append(request)
            hung_up = asyncio.create_task(reader.read())  # resolves when the client closes
            handler = self.routes.get(request.path, not_found)
            await handler(Exchange(request, writer, hung_up))
        except ConnectionError:
            pass  # the client went away mid-answer: what huge and endless routes expect
        finally:
            if hung_up is not None:
                hung_up.cancel()
                with contextlib.suppress(asyncio.CancelledError, ConnectionError):
                    await hung_up
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
            self._tasks.discard(task)


async def _read_request(reader: asyncio.StreamReader) -> Request | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return Request(method, target, headers)


# Route handlers ---------------------------------------------------------------------------


async def not_found(exchange: Exchange) -> None:
    await exchange.head(404, [("Content-Length", "0")])


def respond(status: int, body: bytes = b"", *, headers: Iterable[tuple[str, str]] = ()) -> Handler:
    """A fixed answer."""
    fixed = [*headers, ("Content-Length", str(len(body)))]

    async def handler(exchange: Exchange) -> None:
        await exchange.head(status, fixed)
        await exchange.send(body)

    return handler


def conditional(body: bytes, *, content_type: str, etag: str, last_modified: str) -> Handler:
    """A static document with validators: 304 when the client already has this version."""

    async def handler(exchange: Exchange) -> None:
        headers = exchange.request.headers
        fresh = headers.get("if-none-match") == etag or (
            "if-none-match" not in headers and headers.get("if-modified-since") == last_modified
        )
        validators = [("ETag", etag), ("Last-Modified", last_modified)]
        if fresh:
            await exchange.head(304, validators)
            return
        await exchange.head(
            200,
            [*validators, ("Content-Type", content_type), ("Content-Length", str(len(body)))],
        )
        await exchange.send(body)

    return handler


def redirect(location: str, status: int = 302) -> Handler:
    return respond(status, headers=[("Location", location)])


def huge(size: int, *, declare_length: bool) -> Handler:
    """`size` bytes of XML-ish filler, generated chunk by chunk (never held in memory)."""

    async def handler(exchange: Exchange) -> None:
        headers = [("Content-Type", "application/rss+xml")]
        if declare_length:
            headers.append(("Content-Length", str(size)))
        await exchange.head(200, headers)
        sent = 0
        chunk = b"<!-- filler -->" * (CHUNK // 15)
        while sent < size:
            piece = chunk[: size - sent]
            if not await exchange.send(piece):
                return
            sent += len(piece)

    return handler


def endless(interval: float = 0.02) -> Handler:
    """A body that never ends: a few bytes every `interval` seconds until the client hangs up."""

    async def handler(exchange: Exchange) -> None:
        await exchange.head(200, [("Content-Type", "application/rss+xml")])
        while True:
            if not await exchange.send(b"<item>"):
                return
            await asyncio.sleep(interval)

    return handler


@contextlib.asynccontextmanager
async def running_server() -> AsyncIterator[LocalServer]:
    server = LocalServer()
    await server.start()
    try:
        yield server
    finally:
        await server.close()
