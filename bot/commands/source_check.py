"""`newsdigest sources check`: read every configured source once, store nothing, and print
which work from this machine (the shipped pack was never checked live from here)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.ingest.errors import SourceError
from bot.ingest.poller import INTERNAL, POLL_CONCURRENCY, SourcePoller
from storage.models import Source

logger = logging.getLogger(__name__)

ADDRESS_CHARS = 70
COLUMNS = ("id", "kind", "status", "items", "newest", "reason", "address")
WIDTHS = (5, 8, 7, 6, 11, 22)


@dataclass(frozen=True, slots=True)
class Checked:
    """How reading one source went: items it gave now and the newest one's publication time."""

    source: Source
    ok: bool
    items: int = 0
    newest: datetime | None = None
    reason: str = ""


async def check_sources(
    poller: SourcePoller,
    sources: Sequence[Source],
    report: Callable[[Checked], None],
) -> list[Checked]:
    """Read each source once, a few at once, each within POLL_DEADLINE_SECONDS; `report` is
    called as each one finishes (a slow source does not hold back the others' lines)."""
    gate = asyncio.Semaphore(POLL_CONCURRENCY)

    async def one(source: Source) -> Checked:
        async with gate:
            checked = await _check(poller, source)
        report(checked)
        return checked

    return list(await asyncio.gather(*(one(source) for source in sources)))


async def _check(poller: SourcePoller, stored: Source) -> Checked:
    # A copy without validators: a 304 would say nothing about what the source serves.
    source = Source(**stored.model_dump(exclude={"etag", "last_modified"}))
    try:
        fetched = await poller.read(source)
    except SourceError as error:
        return Checked(stored, ok=False, reason=error.reason)
    except Exception:
        logger.exception("source check failed unexpectedly id=%s", stored.id)
        return Checked(stored, ok=False, reason=INTERNAL)
    inputs = fetched.prepared.inputs
    rejected = len(fetched.prepared.rejections)
    return Checked(
        stored,
        ok=True,
        items=len(inputs),
        newest=max((item.published_at for item in inputs), default=None),
        reason=f"{rejected} rejected" if rejected else ("no items" if not inputs else ""),
    )


def header() -> str:
    return _row(COLUMNS)


def row(checked: Checked, zone: ZoneInfo) -> str:
    """One line of the table; the newest date is the local day in DEFAULT_TIMEZONE."""
    newest = checked.newest.astimezone(zone).strftime("%Y-%m-%d") if checked.newest else "—"
    address = checked.source.url
    if len(address) > ADDRESS_CHARS:
        address = address[: ADDRESS_CHARS - 1] + "…"
    return _row(
        (
            f"#{checked.source.id}",
            checked.source.kind,
            "ok" if checked.ok else "error",
            str(checked.items) if checked.ok else "—",
            newest,
            checked.reason or "—",
            address,
        )
    )


def summary(results: Sequence[Checked]) -> str:
    working = sum(1 for checked in results if checked.ok)
    return f"{working} of {len(results)} sources work from here"


def _row(cells: Sequence[str]) -> str:
    padded = [cell.ljust(width) for cell, width in zip(cells, WIDTHS, strict=False)]
    return "  ".join([*padded, *cells[len(WIDTHS) :]]).rstrip()
