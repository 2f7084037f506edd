"""The source list as OPML: import all of a file or nothing, export every source.

An import checks every outline the way `add_source` would (address, kind, minutes) before it
adds the first, and adds them all in the caller's transaction: a bad file adds nothing.
Addresses already listed (or listed twice in the file) are skipped and reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession

from bot.ingest.opml import OpmlSource, write_opml
from bot.services import Services
from bot.usecases.sources import (
    MAX_MINUTES,
    MIN_MINUTES,
    SourceInputError,
    add_source,
    check_url,
)
from storage.models import Source
from storage.queries import sources as source_queries


class OutlineError(ValueError):
    """Source `number` of the file (counted from 1 among the outlines with an xmlUrl) cannot be
    added."""

    def __init__(self, number: int, url: str, error: SourceInputError) -> None:
        super().__init__(f"source {number}: {error.key}")
        self.number = number
        self.url = url
        self.error = error


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: the sources added, and the addresses skipped as already listed."""

    added: list[Source]
    skipped: list[str]


async def import_sources(
    session: AsyncSession, services: Services, sources: Sequence[OpmlSource]
) -> ImportReport:
    """Add every source of an OPML file; OutlineError for the first bad one, before any is
    added. Local seed files are allowed (an import runs on the bot's machine)."""
    checked = [_checked(services, number, source) for number, source in enumerate(sources, 1)]
    listed = {source.url for source in await source_queries.all_sources(session)}
    added: list[Source] = []
    skipped: list[str] = []
    for source in checked:
        if source.url in listed:
            skipped.append(source.url)
            continue
        listed.add(source.url)
        added.append(
            await add_source(
                session,
                services,
                url=source.url,
                kind=source.kind,
                minutes=source.minutes,
                name=source.title,
                local_files_allowed=True,
                official=source.official,
            )
        )
    return ImportReport(added, skipped)


def _checked(services: Services, number: int, source: OpmlSource) -> OpmlSource:
    """The source with the address it will be stored under; OutlineError when it is bad."""
    try:
        url = check_url(
            source.url,
            source.kind,
            local_files_allowed=True,
            seed_dir=services.settings.seed_dir,
        )
        if not MIN_MINUTES <= source.minutes <= MAX_MINUTES:
            raise SourceInputError("sources.bad_minutes")
    except SourceInputError as error:
        raise OutlineError(number, source.url, error) from None
    return replace(source, url=url)


async def export_sources(session: AsyncSession) -> str:
    """OPML 2.0 of every source, with its name, kind, minutes between polls and whether it is
    official."""
    sources = await source_queries.all_sources(session)
    return write_opml(
        OpmlSource(s.url, s.name, s.kind, s.poll_minutes, s.official) for s in sources
    )
