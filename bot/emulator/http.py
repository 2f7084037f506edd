"""The emulator's HTTP side: aiohttp.web's low-level server turned into our Request/Response.

The Bot API methods and the control API see only `Request` and `Response`; aiohttp speaks
HTTP/1.1 (keep-alive, chunked bodies) to httpx, PTB and curl. Nothing here knows about Telegram.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web


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


Handler = Callable[[Request], Awaitable[Response | None]]  # None: drop the connection


class HttpServer:
    """Serves `handler` on host:port (port 0: any free one) until stopped."""

    def __init__(self, handler: Handler, host: str = "127.0.0.1", port: int = 0) -> None:
        self._handler = handler
        self._host, self._port = host, port
        self._runner: web.ServerRunner | None = None

    async def start(self) -> int:
        """Listen; the port it listens on."""
        self._runner = web.ServerRunner(web.Server(self._serve, access_log=None))
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        port: int = self._runner.addresses[0][1]
        return port

    async def stop(self) -> None:
        """Close the listener and every open connection."""
        if self._runner is not None:
            await self._runner.cleanup()

    async def _serve(self, request: web.BaseRequest) -> web.StreamResponse:
        # The body is read whole, whatever its size: the Bot API takes files of megabytes.
        body = await request.content.read()
        headers = {name.lower(): value for name, value in request.headers.items()}
        ours = Request(request.method, request.path, request.query_string, headers, body)
        response = await self._handler(ours)
        if response is None:  # a fault asked for a dropped connection: no answer at all
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=499)
        return web.Response(status=response.status, body=response.body, headers=response.headers)
