"""A small HTTP/1.1 server on asyncio streams: keep-alive, Content-Length and chunked bodies.

Enough for httpx (which PTB uses) and for curl; nothing here knows about Telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, urlsplit

logger = logging.getLogger(__name__)
MAX_BODY = 64 * 1024 * 1024


class BadHttpRequest(Exception):
    """The peer did not speak HTTP/1.1 well enough; the connection is closed."""


@dataclass
class Request:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    def form(self) -> dict[str, Any]:
        """Query string and body parameters (body wins), whatever the content type."""
        values: dict[str, Any] = dict(parse_qsl(self.query, keep_blank_values=True))
        kind = self.headers.get("content-type", "").split(";")[0].strip().lower()
        if not self.body:
            return values
        if kind == "application/json":
            decoded = json.loads(self.body)
            if not isinstance(decoded, dict):
                raise ValueError("JSON body must be an object")
            values.update(decoded)
        elif kind == "multipart/form-data":
            values.update(_multipart(self.headers["content-type"], self.body))
        else:
            values.update(parse_qsl(self.body.decode("utf-8"), keep_blank_values=True))
        return values


def _multipart(content_type: str, body: bytes) -> dict[str, Any]:
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    values: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(payload, bytes):
            is_file = part.get_filename() is not None
            values[name] = payload if is_file else payload.decode("utf-8")
    return values


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, payload: Any) -> Response:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        return cls(status, data, {"Content-Type": "application/json"})

    def encode(self, keep_alive: bool) -> bytes:
        try:
            reason = HTTPStatus(self.status).phrase
        except ValueError:
            reason = "Unknown"
        lines = [f"HTTP/1.1 {self.status} {reason}"]
        headers = {**self.headers, "Content-Length": str(len(self.body))}
        headers["Connection"] = "keep-alive" if keep_alive else "close"
        lines += [f"{key}: {value}" for key, value in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + self.body


Handler = Callable[[Request], Awaitable[Response | None]]  # None: drop the connection


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    if "chunked" in headers.get("transfer-encoding", "").lower():
        chunks: list[bytes] = []
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                await reader.readuntil(b"\r\n")  # ends the (empty) trailer section
                return b"".join(chunks)
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
    length = int(headers.get("content-length", "0"))
    if not 0 <= length <= MAX_BODY:
        raise BadHttpRequest("bad Content-Length")
    return await reader.readexactly(length)


async def read_request(reader: asyncio.StreamReader) -> Request | None:
    """The next request on the connection, or None when the peer closed it cleanly."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as error:
        if error.partial.strip():
            raise BadHttpRequest("truncated request head") from error
        return None
    except asyncio.LimitOverrunError as error:
        raise BadHttpRequest("request head too large") from error
    lines = head.decode("latin-1").split("\r\n")
    try:
        method, target, _version = lines[0].split(" ", 2)
        pairs = [line.split(":", 1) for line in lines[1:] if line]
        headers = {name.strip().lower(): value.strip() for name, value in pairs}
        body = await _read_body(reader, headers)
    except ValueError as error:
        raise BadHttpRequest(str(error)) from error
    url = urlsplit(target)
    return Request(method.upper(), url.path, url.query, headers, body)


class HttpServer:
    def __init__(self, handler: Handler, host: str = "127.0.0.1", port: int = 0) -> None:
        self._handler = handler
        self._host, self._port = host, port
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self._handlers: set[asyncio.Task[Any]] = set()

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._serve, self._host, self._port)
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        await asyncio.gather(*self._handlers, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # The conversation runs in its own task so stop() can cancel it without cancelling
        # the streams callback task (which asyncio would log as an error).
        handler = asyncio.current_task()
        if handler is not None:
            self._handlers.add(handler)
        task = asyncio.create_task(self._conversation(reader, writer))
        self._connections.add(task)
        await asyncio.wait({task})
        self._connections.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.debug("connection closed: %s", task.exception())
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()
        if handler is not None:
            self._handlers.discard(handler)

    async def _conversation(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            await self._exchange(reader, writer)
        except (BadHttpRequest, ConnectionError, asyncio.IncompleteReadError) as error:
            logger.debug("connection closed: %s", error)

    async def _exchange(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while (request := await read_request(reader)) is not None:
            response = await self._handler(request)
            if response is None:
                writer.transport.abort()
                return
            keep_alive = request.headers.get("connection", "").lower() != "close"
            writer.write(response.encode(keep_alive))
            await writer.drain()
            if not keep_alive:
                return
