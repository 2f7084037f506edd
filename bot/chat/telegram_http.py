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

import urllib.request

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

USER_AGENT = "newsdigest (python-telegram-bot; aiohttp)"


class AiohttpRequest(BaseRequest):
    """Bot API calls through one aiohttp session of up to `connections` connections.

    Timeouts are PTB's (seconds; None: no limit); a call that does not say uses the defaults
    given here, as PTB's own request does. Errors map as PTB's own: a read timeout is
    `TimedOut` (the request may have reached Telegram), any other transport failure a
    `NetworkError` whose message names the aiohttp error (a refused connection or one that
    could not be made in time: nothing was sent).
    """

    def __init__(
        self,
        *,
        connections: int,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
    ) -> None:
        self.connections = connections
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, str | None] = {}  # by host[:port]

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
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """See `BaseRequest.do_request`. aiohttp has no write timeout: the call as a whole is
        capped at the sum of the four, so a stalled write ends too."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized")
        timeout = self._timeout(read_timeout, write_timeout, connect_timeout, pool_timeout)
        try:
            async with self._session.request(
                method, url, data=_body(request_data), timeout=timeout, proxy=self._proxy(url)
            ) as response:
                return response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as error:  # no connection: nothing was sent
            raise NetworkError(_described(error, url)) from error
        except TimeoutError as error:  # aiohttp's read timeouts are asyncio.TimeoutError
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(_described(error, url)) from error

    def _proxy(self, url: str) -> str | None:
        """The proxy the environment names for this URL's host (HTTPS_PROXY, ALL_PROXY,
        NO_PROXY), as PTB's own transport honours them; read once per host, since aiohttp's
        own `trust_env` reads the environment and ~/.netrc again on every call (it doubled
        the CPU of a send)."""
        scheme, _, rest = url.partition("://")
        host = rest.split("/", 1)[0]
        if host not in self._proxies:
            bypass = urllib.request.proxy_bypass(host.rsplit(":", 1)[0])
            found = urllib.request.getproxies()
            self._proxies[host] = None if bypass else found.get(scheme) or found.get("all")
        return self._proxies[host]

    def _timeout(
        self, read: object, write: object, connect: object, pool: object
    ) -> aiohttp.ClientTimeout:
        read_s = _seconds(read, self._read_timeout)
        write_s = _seconds(write, self._write_timeout)
        connect_s = _seconds(connect, self._connect_timeout)
        pool_s = _seconds(pool, self._pool_timeout)
        # aiohttp's `connect` covers waiting for a free connection and connecting.
        waiting = None if connect_s is None or pool_s is None else connect_s + pool_s
        parts = (read_s, write_s, waiting)
        total = None if None in parts else sum(part or 0.0 for part in parts)
        return aiohttp.ClientTimeout(
            total=total, connect=waiting, sock_connect=connect_s, sock_read=read_s
        )


def _seconds(value: object, default: float | None) -> float | None:
    """A timeout PTB passed (seconds, or None: no limit), else this request's default (PTB
    passes `BaseRequest.DEFAULT_NONE` for "not given")."""
    if value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    return default


def _described(error: Exception, url: str) -> str:
    """The aiohttp error's class and message, for the sender's verdict (`outcomes.judge`),
    without the request's URL: it holds the bot token."""
    return f"aiohttp.{type(error).__name__}: {str(error).replace(url, '<Bot API URL>')}"


def _body(request_data: RequestData | None) -> aiohttp.FormData | aiohttp.BytesPayload | None:
    """The request's parameters as a JSON object (the Bot API takes one; PTB's form
    encoding quoted every byte of a Cyrillic text in Python, 7% of a digest's CPU); with
    files, as multipart."""
    if request_data is None:
        return None
    files = request_data.multipart_data
    if not files:
        return aiohttp.BytesPayload(request_data.json_payload, content_type="application/json")
    fields = request_data.json_parameters
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mime_type) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form
