"""Sample feeds and pages under tests/data, as the bytes a server would send."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"


def feed_bytes(name: str) -> bytes:
    return (DATA / "feeds" / name).read_bytes()


def page_bytes(name: str) -> bytes:
    return (DATA / "pages" / name).read_bytes()
