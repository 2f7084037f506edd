"""Polite, bounded HTTP GET: conditional requests, a byte cap, a total deadline, no exceptions.

Every network failure becomes a `FetchResult` with status "error" and a short reason key, so
a poller can store the key as the source's health and back off (honouring Retry-After).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Final, Literal

import httpx

from bot.clock import Clock, SystemClock

logger = logging.getLogger(__name__)

FetchStatus = Literal["ok", "not_modified", "error"]

# Statuses after which the server may tell us when to come back.
_RETRYABLE: Final = frozenset({429, 500, 502, 503, 504})


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
) -> FetchResult:
    """GET `url` within `timeout` seconds in total (redirects and body included), at most
    `max_bytes` of (decoded) body; never raises for network trouble."""
    headers = _conditional_headers(etag, last_modified)
    try:
        async with asyncio.timeout(timeout):
            return await _get(client, url, headers, max_bytes, clock or SystemClock())
    except (TimeoutError, httpx.TimeoutException):
        return _failed(url, "fetch.timeout")
    except httpx.TooManyRedirects:
        return _failed(url, "fetch.too_many_redirects")
    except (httpx.UnsupportedProtocol, httpx.InvalidURL):
        return _failed(url, "fetch.invalid_url")
    except httpx.RemoteProtocolError as error:
        logger.debug("fetch protocol error url=%s error=%r", url, error)
        return _failed(url, "fetch.protocol")
    except httpx.DecodingError:
        return _failed(url, "fetch.decoding")
    except httpx.TransportError as error:  # connect, read, write, proxy, TLS
        logger.debug("fetch connection error url=%s error=%r", url, error)
        return _failed(url, "fetch.connection")
    except httpx.RequestError as error:
        logger.debug("fetch request error url=%s error=%r", url, error)
        return _failed(url, "fetch.request")


async def _get(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], max_bytes: int, clock: Clock
) -> FetchResult:
    async with client.stream("GET", url, headers=headers) as response:
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
                new_etag or headers.get("If-None-Match"),
                new_modified or headers.get("If-Modified-Since"),
            )
        if not response.is_success:
            retry_after = None
            if response.status_code in _RETRYABLE:
                retry_after = retry_after_seconds(
                    response.headers.get("retry-after"),
                    now=_server_now(response) or clock.now(),
                )
            return _failed(final_url, f"fetch.http_{response.status_code}", retry_after)
        declared = _content_length(response)
        if declared is not None and declared > max_bytes:
            return _failed(final_url, "fetch.too_large")
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > max_bytes:
                return _failed(final_url, "fetch.too_large")
            chunks.append(chunk)
        return FetchResult("ok", b"".join(chunks), final_url, content_type, new_etag, new_modified)


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


def _failed(url: str, reason: str, retry_after: float | None = None) -> FetchResult:
    return FetchResult("error", b"", url, reason=reason, retry_after_seconds=retry_after)
