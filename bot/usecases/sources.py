"""Managing sources: the defaults, adding, removing, listing; shared by Telegram and the CLI."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from importlib.resources import files
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from bot.ingest.poller import BUNDLED, KINDS
from bot.usecases.services import Services
from storage.models import Source
from storage.queries import sources as source_queries

MIN_MINUTES, MAX_MINUTES = 5, 7 * 24 * 60


class SourceInputError(ValueError):
    """A source the user asked for cannot be added; `key` is a message key."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def guess_kind(url: str) -> str:
    """Seed files end in .txt; feeds say so in their address; anything else is a listing page."""
    path = urlsplit(url).path.lower() if "://" in url else url.lower()
    if url.startswith(BUNDLED) or path.endswith(".txt"):
        return "seed"
    if any(word in path for word in ("rss", "feed", "atom", ".xml")):
        return "rss"
    return "listing"


def check_url(url: str, kind: str) -> str:
    if kind not in KINDS:
        raise SourceInputError("sources.bad_kind")
    if kind == "seed" and not url.startswith(("http://", "https://")):
        return url  # a bundled file or a path on the bot's machine
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceInputError("sources.bad_url")
    return url


async def add_source(
    session: AsyncSession,
    services: Services,
    *,
    url: str,
    minutes: int = 60,
    kind: str | None = None,
    name: str = "",
) -> Source:
    """A new source, due at once; an address already listed is refused."""
    chosen = kind or guess_kind(url)
    check_url(url, chosen)
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise SourceInputError("sources.bad_minutes")
    if await source_queries.by_url(session, url=url) is not None:
        raise SourceInputError("sources.exists")
    source = Source(
        kind=chosen,
        url=url,
        name=name or urlsplit(url).hostname or url,
        poll_minutes=minutes,
        created_at=services.clock.now(),
    )
    return await source_queries.add(session, source=source)


async def find_source(session: AsyncSession, *, reference: str) -> Source | None:
    """A source by its id or its address."""
    if reference.isdigit():
        return await source_queries.get(session, source_id=int(reference))
    return await source_queries.by_url(session, url=reference)


def default_sources() -> list[dict[str, object]]:
    """The sources of seeds/sources.toml."""
    text = files("seeds").joinpath("sources.toml").read_text(encoding="utf-8")
    entries = tomllib.loads(text).get("source", [])
    return [entry for entry in entries if isinstance(entry, dict)]


async def load_defaults(session: AsyncSession, services: Services) -> int:
    """Fill an empty source list with the defaults (never re-adds what operators removed)."""
    if await source_queries.count_sources(session):
        return 0
    added = 0
    for entry in default_sources():
        await add_source(
            session,
            services,
            url=str(entry["url"]),
            kind=str(entry["kind"]),
            minutes=int(str(entry.get("minutes", 60))),
            name=str(entry.get("name", "")),
        )
        added += 1
    return added


def describe(sources: Sequence[Source]) -> list[str]:
    """One plain line per source: id, state, address, health."""
    lines = []
    for source in sources:
        state = "on" if source.enabled else "PAUSED"
        health = f"failures {source.consecutive_failures}" + (
            f", last error {source.last_error}" if source.last_error else ""
        )
        last = (
            source.last_success_at.strftime("%Y-%m-%d %H:%M") if source.last_success_at else "never"
        )
        lines.append(
            f"#{source.id} [{state}] {source.kind} every {source.poll_minutes} min — "
            f"{source.url} — last success {last}, {health}"
        )
    return lines
