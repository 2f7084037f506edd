"""python-telegram-bot's Bot API requests over aiohttp instead of its default httpx transport.

The transport was most of what a delivered digest cost: against the local Bot API emulator on
a 2-core machine, one `sendMessage` took 2.2–2.4 ms of CPU through PTB's httpx request and
0.32 ms through this one (`tests/benchmarks/bench_delivery.py`; BENCHMARKS.md). At paid
broadcast rates (up to 1,000 messages a second) that difference is whether one core keeps up.
aiohttp is already here (the metrics listener, the emulator); PTB's `BaseRequest` is the
documented seam for another transport, and everything above it (JSON, errors, RetryAfter)
stays PTB's own.
"""

from __future__ import annotations

import aiohttp
from telegram._utils.defaultvalue import DefaultValue  # PTB's "not given", as its own request
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

USER_AGENT = "newsdigest (python-telegram-bot; aiohttp)"


class AiohttpRequest(BaseRequest):
    """Bot API calls through one aiohttp session of up to `connections` connections.

    Timeouts are PTB's (seconds; None: no limit); a call that does not say uses the defaults
    given here, as PTB's own request does. Errors map as PTB's own: a timeout is `TimedOut`
    (the request may have reached Telegram), any other transport failure a `NetworkError`
    whose message names the aiohttp error (a refused connection: nothing was sent).
    """

    def __init__(
        self,
        *,
        connections: int,
        read_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
    ) -> None:
        self.connections = connections
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self.connections),
                headers={"User-Agent": USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """See `BaseRequest.do_request`; `write_timeout` has no aiohttp counterpart (a slow
        write is bounded by the read timeout that follows it)."""
        del write_timeout  # PTB passes it by name
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized")
        timeout = self._timeout(read_timeout, connect_timeout, pool_timeout)
        try:
            async with self._session.request(
                method, url, data=_body(request_data), timeout=timeout
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:  # aiohttp's timeouts are asyncio.TimeoutError
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error

    def _timeout(
        self,
        read: ODVInput[float],
        connect: ODVInput[float],
        pool: ODVInput[float],
    ) -> aiohttp.ClientTimeout:
        read_s = self._read_timeout if isinstance(read, DefaultValue) else read
        connect_s = self._connect_timeout if isinstance(connect, DefaultValue) else connect
        pool_s = self._pool_timeout if isinstance(pool, DefaultValue) else pool
        # aiohttp's `connect` covers waiting for a free connection and connecting.
        waiting = None if connect_s is None or pool_s is None else connect_s + pool_s
        return aiohttp.ClientTimeout(
            total=None, connect=waiting, sock_connect=connect_s, sock_read=read_s
        )


def _body(request_data: RequestData | None) -> aiohttp.FormData | dict[str, str] | None:
    """The request's parameters, as a form; with files, as multipart."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    files = request_data.multipart_data
    if not files:
        return fields
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mime_type) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form
