"""A local HTTP server on 127.0.0.1 (aiohttp.web) for fetch, poller and end-to-end tests.

Routes are set per test (`route(path, handler)`), every request is recorded in arrival order,
and the handler factories below cover what feeds do in the wild: fixed answers, conditional
GET, redirects, huge, endless, dripping and compressed bodies.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from aiohttp import web

CHUNK = 64 * 1024
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Request:
    """One request as the server saw it (header names lower-case)."""

    method: str
    target: str
    headers: dict[str, str]

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]


@dataclass(frozen=True)
class Answer:
    """What the server answered to a request: its path and status (the server's own log)."""

    path: str
    status: int
    if_none_match: str | None


@dataclass
class LocalServer:
    """Routes by path; `requests` and `answers` record traffic in arrival order."""

    host: str = "127.0.0.1"
    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    _runner: web.ServerRunner | None = None
    _port: int = 0

    async def start(self) -> None:
        self._runner = web.ServerRunner(
            web.Server(self._handle, access_log=None), shutdown_timeout=0.1
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        assert site._server is not None
        sockets = getattr(site._server, "sockets", None)
        assert sockets
        self._port = int(sockets[0].getsockname()[1])

    @property
    def port(self) -> int:
        return self._port

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def route(self, path: str, handler: Handler) -> str:
        """Serve `handler` at `path`; returns the full URL."""
        self.routes[path] = handler
        return self.url(path)

    def hits(self, path: str) -> list[Request]:
        return [request for request in self.requests if request.path == path]

    def statuses(self, path: str) -> list[int]:
        return [answer.status for answer in self.answers if answer.path == path]

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        headers = {name.lower(): value for name, value in request.headers.items()}
        self.requests.append(Request(request.method, request.path_qs, headers))
        handler = self.routes.get(request.path, not_found)
        response = await handler(request)
        self.answers.append(Answer(request.path, response.status, headers.get("if-none-match")))
        return response


# Route handlers ---------------------------------------------------------------------------


async def not_found(request: web.Request) -> web.StreamResponse:
    return web.Response(status=404)


def respond(status: int, body: bytes = b"", *, headers: Iterable[tuple[str, str]] = ()) -> Handler:
    """A fixed answer."""
    fixed = list(headers)

    async def handler(request: web.Request) -> web.StreamResponse:
        return web.Response(status=status, body=body, headers=fixed)

    return handler


def conditional(body: bytes, *, content_type: str, etag: str, last_modified: str) -> Handler:
    """A static document with validators: 304 when the client already has this version."""
    return Document(body, content_type=content_type, etag=etag, last_modified=last_modified)


@dataclass
class Document:
    """A document that can change (`publish`), with validators: 304 when the client has it."""

    body: bytes
    content_type: str
    etag: str
    last_modified: str

    def publish(self, body: bytes, *, etag: str, last_modified: str) -> None:
        self.body, self.etag, self.last_modified = body, etag, last_modified

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        headers = request.headers
        fresh = headers.get("if-none-match") == self.etag or (
            "if-none-match" not in headers
            and headers.get("if-modified-since") == self.last_modified
        )
        validators = {"ETag": self.etag, "Last-Modified": self.last_modified}
        if fresh:
            return web.Response(status=304, headers=validators)
        return web.Response(
            status=200, body=self.body, headers={**validators, "Content-Type": self.content_type}
        )


def redirect(location: str, status: int = 302) -> Handler:
    return respond(status, headers=[("Location", location)])


def huge(size: int, *, declare_length: bool) -> Handler:
    """`size` bytes of XML-ish filler, generated chunk by chunk (never held in memory)."""

    async def handler(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        if declare_length:
            response.content_length = size
        await response.prepare(request)
        sent = 0
        chunk = b"<!-- filler -->" * (CHUNK // 15)
        with contextlib.suppress(ConnectionError):
            while sent < size:
                piece = chunk[: size - sent]
                await response.write(piece)
                sent += len(piece)
        return response

    return handler


def endless(interval: float = 0.02, piece: bytes = b"<item>") -> Handler:
    """A body that never ends: `piece` every `interval` seconds until the client hangs up."""

    async def handler(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        await response.prepare(request)
        with contextlib.suppress(ConnectionError):
            while True:
                await response.write(piece)
                await asyncio.sleep(interval)
        return response

    return handler


def truncated(declared: int, body: bytes) -> Handler:
    """Declares `declared` bytes, sends fewer, and hangs up."""

    async def handler(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Length": str(declared)})
        response.force_close()
        await response.prepare(request)
        await response.write(body)
        if request.transport is not None:
            request.transport.close()
        return response

    return handler


def encoded(body: bytes, *, encoding: str, content_type: str = "application/rss+xml") -> Handler:
    """Bytes already compressed by the test, sent with the given Content-Encoding."""
    return respond(
        200, body, headers=[("Content-Type", content_type), ("Content-Encoding", encoding)]
    )


@contextlib.asynccontextmanager
async def running_server(host: str = "127.0.0.1") -> AsyncIterator[LocalServer]:
    server = LocalServer(host=host)
    await server.start()
    try:
        yield server
    finally:
        await server.close()


def in_pieces(
    body: bytes, *, piece: int, headers: Iterable[tuple[str, str]] = (), status: int = 200
) -> Handler:
    """`body` sent `piece` bytes per chunk (chunked encoding), so the client reads it in pieces
    that small: a decoder must cope with a header split across reads."""
    fixed = list(headers)

    async def handler(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(status=status, headers=fixed)
        await response.prepare(request)
        with contextlib.suppress(ConnectionError):
            for start in range(0, len(body), piece):
                await response.write(body[start : start + piece])
        return response

    return handler
