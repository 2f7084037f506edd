"""Polite, bounded HTTP GET: conditional requests, a byte cap, a total deadline, no exceptions.

Every network failure becomes a `FetchResult` with status "error" and a short reason key, so
a poller can store the key as the source's health and back off (honouring Retry-After).
The body is decoded by `decoding`, not by httpx, so that a compressed body can never inflate
past the cap in one step (a 1 MB gzip of zeros is 1 GB of output).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Final, Literal

import httpx

from bot.clock import Clock, SystemClock
from bot.ingest.address_guard import PrivateAddressError
from bot.ingest.decoding import BodyError, content_coding, read_body

logger = logging.getLogger(__name__)

FetchStatus = Literal["ok", "not_modified", "error"]

# Statuses after which the server may tell us when to come back.
_RETRYABLE: Final = frozenset({429, 500, 502, 503, 504})
_SCHEMES: Final = frozenset({"http", "https"})
_REDIRECT_BODY_LIMIT: Final = 64 * 1024


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one GET gave; `reason` is set exactly when `status` is "error"."""

    status: FetchStatus
    body: bytes
    final_url: str
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    reason: str | None = None
    retry_after_seconds: float | None = None


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    etag: str | None,
    last_modified: str | None,
    max_bytes: int,
    timeout: float,  # noqa: ASYNC109 - a total deadline, applied with asyncio.timeout
    clock: Clock | None = None,
    headers: Mapping[str, str] | None = None,
) -> FetchResult:
    """GET `url` within `timeout` seconds in total (redirects and body included), at most
    `max_bytes` of (decoded) body; never raises for network trouble. `headers` are sent
    beside the conditional ones (an API's Accept-Language, say)."""
    unusable = _unusable_url(url)
    if unusable is not None:
        return _failed(url, unusable)
    headers = {**(headers or {}), **_conditional_headers(etag, last_modified)}
    try:
        async with asyncio.timeout(timeout):
            return await _get(client, url, headers, max_bytes, clock or SystemClock())
    except (TimeoutError, httpx.TimeoutException):
        return _failed(url, "fetch.timeout")
    except httpx.TooManyRedirects:
        return _failed(url, "fetch.too_many_redirects")
    except PrivateAddressError as error:
        logger.info("fetch refused url=%s host=%s address=%s", url, error.host, error.address)
        return _failed(url, "fetch.private_address")
    except httpx.UnsupportedProtocol as error:  # a redirect to ftp:, ws:, file: ...
        return _failed(url, _unsupported_reason(error))
    except httpx.InvalidURL:
        return _failed(url, "fetch.invalid_url")
    except httpx.RemoteProtocolError as error:
        logger.debug("fetch protocol error url=%s error=%r", url, error)
        return _failed(url, "fetch.protocol")
    except httpx.TransportError as error:  # connect, read, write, proxy, TLS
        logger.debug("fetch connection error url=%s error=%r", url, error)
        return _failed(url, "fetch.connection")
    except httpx.RequestError as error:
        logger.debug("fetch request error url=%s error=%r", url, error)
        return _failed(url, "fetch.request")


async def _get(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], max_bytes: int, clock: Clock
) -> FetchResult:
    """Follow redirects here rather than in httpx, which reads and decodes every redirect's
    body in full, however large: ours are read raw, a little at most."""
    request = client.build_request("GET", url, headers=headers)
    for _ in range(client.max_redirects + 1):
        response = await client.send(request, stream=True, follow_redirects=False)
        try:
            if response.next_request is None:
                return await _answer(response, headers, max_bytes, clock)
            request = response.next_request
            await _drain(response)
        finally:
            await response.aclose()
    raise httpx.TooManyRedirects("exceeded the redirect limit", request=request)


async def _drain(response: httpx.Response) -> None:
    """Read a short redirect body so its connection can serve the next hop; stop at a long one
    (closing the connection is cheaper than reading it)."""
    received = 0
    async for chunk in response.aiter_raw():
        received += len(chunk)
        if received > _REDIRECT_BODY_LIMIT:
            return


async def _answer(
    response: httpx.Response, sent: dict[str, str], max_bytes: int, clock: Clock
) -> FetchResult:
    final_url = str(response.url)
    content_type = response.headers.get("content-type")
    new_etag = response.headers.get("etag")
    new_modified = response.headers.get("last-modified")
    if response.status_code == 304:
        return FetchResult(
            "not_modified",
            b"",
            final_url,
            content_type,
            new_etag or sent.get("If-None-Match"),
            new_modified or sent.get("If-Modified-Since"),
        )
    if not response.is_success:
        retry_after = None
        if response.status_code in _RETRYABLE:
            retry_after = retry_after_seconds(
                response.headers.get("retry-after"), now=_server_now(response) or clock.now()
            )
        return _failed(final_url, f"fetch.http_{response.status_code}", retry_after)
    declared = _content_length(response)
    if declared is not None and declared > max_bytes:
        return _failed(final_url, "fetch.too_large")
    coding = content_coding(response)
    if coding is None:
        return _failed(final_url, "fetch.encoding")
    try:
        body = await read_body(response, coding, max_bytes)
    except BodyError as error:
        return _failed(final_url, error.reason)
    return FetchResult("ok", bytes(body), final_url, content_type, new_etag, new_modified)


def retry_after_seconds(value: str | None, *, now: datetime) -> float | None:
    """Retry-After as seconds from `now`: delta-seconds or an HTTP date; None when absent or bad."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # "²" and "١" are digits to str.isdigit
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" means UTC with an unknown origin
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """Validators as they were received; a value that could not be sent back is dropped."""
    headers: dict[str, str] = {}
    if etag and _sendable(etag):
        headers["If-None-Match"] = etag
    if last_modified and _sendable(last_modified):
        headers["If-Modified-Since"] = last_modified
    return headers


def _sendable(value: str) -> bool:
    return value.isascii() and value.isprintable()


def _server_now(response: httpx.Response) -> datetime | None:
    """The server's Date header: an HTTP-date Retry-After is relative to its clock, not ours."""
    date = response.headers.get("date")
    if not date:
        return None
    try:
        when = parsedate_to_datetime(date)
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _content_length(response: httpx.Response) -> int | None:
    """The declared length (compressed, if encoded: decoded is never much smaller)."""
    try:
        return int(response.headers["content-length"])
    except (KeyError, ValueError):
        return None


def _unusable_url(url: str) -> str | None:
    """The reason a URL cannot be fetched at all, decided before anything is sent."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return "fetch.invalid_url"
    if parsed.scheme and parsed.scheme not in _SCHEMES:
        return "fetch.unsupported_scheme"
    if not parsed.scheme or not parsed.host:
        return "fetch.invalid_url"
    return None


def _unsupported_reason(error: httpx.UnsupportedProtocol) -> str:
    """The reason for a hop httpx would not send: a redirect to ftp:, ws: or file:, say."""
    try:
        hop = str(error.request.url)
    except RuntimeError:  # no request attached
        return "fetch.invalid_url"
    return _unusable_url(hop) or "fetch.invalid_url"


def _failed(url: str, reason: str, retry_after: float | None = None) -> FetchResult:
    return FetchResult("error", b"", url, reason=reason, retry_after_seconds=retry_after)
