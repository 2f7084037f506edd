"""Response bodies decoded by us, within a byte cap: identity, or one gzip or deflate layer.

httpx would inflate each received chunk in full, so a 1 MB gzip of zeros becomes 1 GB in one
step, and it stacks codings ("gzip, gzip" squares a bomb). Here every inflate step is bounded
by the room left under the cap, and only one layer is accepted.
"""

from __future__ import annotations

import zlib
from typing import Final

import httpx

# The Content-Encodings we decode, one layer at most.
_CODINGS: Final = frozenset({"gzip", "x-gzip", "deflate"})
_GZIP_WBITS: Final = 16 + zlib.MAX_WBITS  # zlib's way of saying "expect a gzip header"


class BodyError(Exception):
    """The body cannot be had within the rules; `reason` is the result's key."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def content_coding(response: httpx.Response) -> str | None:
    """The one coding we decode, or `identity`; None for the rest: br, unknown ones and stacked
    ones such as "gzip, gzip" (each layer multiplies a bomb)."""
    codings = [
        coding.strip().lower()
        for coding in response.headers.get_list("content-encoding", split_commas=True)
    ]
    codings = [coding for coding in codings if coding and coding != "identity"]
    if not codings:
        return "identity"
    if len(codings) == 1 and codings[0] in _CODINGS:
        return codings[0]
    return None


async def read_body(response: httpx.Response, coding: str, max_bytes: int) -> bytearray:
    """The decoded body, at most `max_bytes` of it and of the bytes on the wire.

    Each inflate step is given the room left plus one byte, so memory never exceeds the cap
    however well the input compresses; the wire is capped too, since deflate can also consume
    input without producing any.
    """
    body = bytearray()
    inflater = _Inflater(coding) if coding != "identity" else None
    received = 0
    async for chunk in response.aiter_raw():
        received += len(chunk)
        if received > max_bytes:
            raise BodyError("fetch.too_large")
        if inflater is None:
            body += chunk
        elif inflater.feed(chunk, body, max_bytes):
            break  # end of the compressed stream: whatever follows is not part of the body
    if inflater is not None and received and not inflater.finished:
        raise BodyError("fetch.decoding")  # cut short, or not compressed data at all
    return body


class _Inflater:
    """One gzip or deflate stream, inflated into a caller's buffer without passing a bound.

    "deflate" is meant to be zlib-wrapped (RFC 9110) but some servers send raw deflate, so
    its first two bytes decide, as browsers do.
    """

    def __init__(self, coding: str) -> None:
        self._zlib = None if coding == "deflate" else zlib.decompressobj(_GZIP_WBITS)
        self._head = b""
        self.finished = False

    def feed(self, data: bytes, into: bytearray, limit: int) -> bool:
        """Inflate `data` into `into`; True once the stream has ended. Raises BodyError."""
        if self._zlib is None:
            self._head += data
            if len(self._head) < 2:
                return False
            self._zlib = zlib.decompressobj(_deflate_wbits(self._head))
            data = self._head
        try:
            while data:
                into += self._zlib.decompress(data, limit - len(into) + 1)
                if len(into) > limit:
                    raise BodyError("fetch.too_large")
                data = self._zlib.unconsumed_tail
        except zlib.error:
            raise BodyError("fetch.decoding") from None
        self.finished = self._zlib.eof
        return self.finished


def _deflate_wbits(head: bytes) -> int:
    """zlib window bits for a "deflate" body: zlib-wrapped if its two-byte header checks out."""
    wrapped = head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0
    return zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS
