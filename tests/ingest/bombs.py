"""Compression bombs for the fetch and hostile-source tests, built without holding the zeros."""

from __future__ import annotations

import struct
import zlib
from functools import cache

MB = 1024 * 1024
GB = 1024 * MB


@cache
def gzip_bomb(size: int = GB) -> bytes:
    """`size` zeros gzipped (about 1000:1), built without ever holding them: after a full flush
    the compressor starts afresh, so every mebibyte of zeros compresses to the same block."""
    zeros = bytes(MB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(size // MB):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, size & 0xFFFF_FFFF)
    return header + block * (size // MB) + compressor.flush() + trailer
