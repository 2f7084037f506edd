"""What operators do to the source list from a chat: list, add, look for a site's feeds,
remove, poll now. Each answers in the language of the chat the operator writes in."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from bot.ingest.discovery import Candidate
from bot.ingest.errors import SourceError
from bot.ingest.parse_worker import ParsingPool
from bot.ingest.poller import SourcePoller
from bot.services import Services
from bot.usecases.chats import ChatRef, language_of
from bot.usecases.source_discovery import find_feeds
from bot.usecases.sources import (
    MIN_MINUTES,
    SourceInputError,
    add_source,
    describe,
    describe_polls,
    find_source,
    poll_now,
)
from storage.models import Source
from storage.queries import sources as source_queries


@dataclass(frozen=True, slots=True)
class SourceLines:
    """One plain line per source with its health, in the chat's language."""

    language: str
    lines: list[str]


@dataclass(frozen=True, slots=True)
class Added:
    """The source added, or the refusal that left the list as it was; the chat's language."""

    language: str
    outcome: Source | SourceInputError


@dataclass(frozen=True, slots=True)
class Removed:
    """The source removed (None when there is no such source), in the chat's language."""

    language: str
    source: Source | None


@dataclass(frozen=True, slots=True)
class Discovery:
    """The feeds found on a site, best first; or why none could be looked for (`refusal`) or
    the page could not be read (`unreadable`, a reason code)."""

    language: str
    feeds: list[Candidate]
    refusal: SourceInputError | None = None
    unreadable: str | None = None


@dataclass(frozen=True, slots=True)
class PollReport:
    """One plain line per poll; `lines` is None when the source asked for does not exist."""

    language: str
    lines: list[str] | None


async def listing(services: Services, ref: ChatRef) -> SourceLines:
    """/sources: one line per source with its health."""
    language = await language_of(services, ref)
    async with services.database.read() as session:
        return SourceLines(language, describe(await source_queries.all_sources(session)))


async def add(
    services: Services, ref: ChatRef, *, url: str, minutes: int, kind: str | None
) -> Added:
    """A web source added from a chat (a Telegram account never names the bot's files), due at
    once, its kind guessed when not given; /addsource and a press on a discovery offer."""
    language = await language_of(services, ref)
    try:
        async with services.database.write() as session:
            source = await add_source(session, services, url=url, minutes=minutes, kind=kind)
    except SourceInputError as error:
        return Added(language, error)
    return Added(language, source)


async def discover(
    services: Services,
    client: httpx.AsyncClient,
    pool: ParsingPool,
    ref: ChatRef,
    *,
    url: str,
    minutes: int,
) -> Discovery:
    """The feeds of the site at `url`, for an offer the operator answers with a press."""
    language = await language_of(services, ref)
    if minutes < MIN_MINUTES:
        return Discovery(language, [], refusal=SourceInputError("sources.bad_minutes"))
    try:
        feeds = await find_feeds(services, client, pool, url, local_files_allowed=False)
    except SourceInputError as error:
        return Discovery(language, [], refusal=error)
    except SourceError as error:
        return Discovery(language, [], unreadable=error.reason)
    return Discovery(language, feeds)


async def remove(services: Services, ref: ChatRef, reference: str) -> Removed:
    """/removesource: the source with this id or address is removed (its stories stay)."""
    language = await language_of(services, ref)
    async with services.database.write() as session:
        source = await find_source(session, reference=reference)
        if source is not None and source.id is not None:
            await source_queries.remove(session, source_id=source.id)
    return Removed(language, source)


async def poll(
    services: Services, poller: SourcePoller, ref: ChatRef, reference: str
) -> PollReport:
    """/pollnow: one source now (a paused one is enabled again), or every due source."""
    results = await poll_now(services, poller, reference)
    lines = None if results is None else describe_polls(results)
    return PollReport(await language_of(services, ref), lines)


async def address_of(services: Services, source_id: int) -> str | None:
    """A source's address, for telling the operators about it (None once it is removed)."""
    async with services.database.read() as session:
        source = await source_queries.get(session, source_id=source_id)
    return source.url if source is not None else None
