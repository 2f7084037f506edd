"""`newsdigest sources add|list|remove|poll|import|export`: the operators' source list from the
shell."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.clock import Clock
from bot.commands.common import UsageError, load_tagger, open_database
from bot.commands.source_check import check_sources, header, row, summary
from bot.domain.telegram_html import visible_text
from bot.i18n import default_translator
from bot.ingest.errors import SourceError
from bot.ingest.opml import MAX_BYTES as OPML_MAX_BYTES
from bot.ingest.opml import OpmlError, parse_opml
from bot.ingest.poller import open_poller
from bot.services import Services
from bot.settings import Settings
from bot.usecases import source_discovery, source_opml
from bot.usecases import sources as source_use
from storage.queries import sources as source_queries


async def sources_command(settings: Settings, arguments: argparse.Namespace, clock: Clock) -> int:
    async with open_database(settings.database_url) as database:
        services = Services(database, clock, settings, default_translator(), load_tagger())
        async with database.write() as session:
            await source_use.load_defaults(session, services)
        if arguments.sources_command == "list":
            async with database.read() as session:
                lines = source_use.describe(await source_queries.all_sources(session))
            print("\n".join(lines) or "no sources")
        elif arguments.sources_command == "add":
            await _add(services, arguments)
        elif arguments.sources_command == "remove":
            async with database.write() as session:
                found = await source_use.find_source(session, reference=arguments.reference)
                if found is None or found.id is None:
                    raise UsageError(f"no source {arguments.reference!r}")
                await source_queries.remove(session, source_id=found.id)
            print(f"removed #{found.id} {found.url}")
        elif arguments.sources_command == "import":
            await _import(services, arguments.file)
        elif arguments.sources_command == "export":
            async with database.read() as session:
                print(await source_opml.export_sources(session), end="")
        elif arguments.sources_command == "check":
            return await _check(services)
        else:
            return await _poll(services, arguments.reference)
    return 0


def _explained(error: source_use.SourceInputError) -> str:
    return visible_text(default_translator().translate("en", error.key, **error.params))


async def _add(services: Services, arguments: argparse.Namespace) -> None:
    """Add the address as given, or, for a site given without --kind, the first feed found on
    it (the page itself as a listing when it has none)."""
    url, kind = arguments.url, arguments.kind
    try:
        if source_discovery.needs_discovery(url, kind):
            url, kind = await _discovered(services, url)
        async with services.database.write() as session:
            source = await source_use.add_source(
                session,
                services,
                url=url,
                minutes=arguments.minutes,
                kind=kind,
                name=arguments.name or "",
                local_files_allowed=True,  # the shell's user may name seed files
            )
    except source_use.SourceInputError as error:
        raise UsageError(_explained(error)) from None
    print(f"added #{source.id} {source.kind} {source.url}")


async def _discovered(services: Services, url: str) -> tuple[str, str]:
    """The address and kind to add for a site: its first feed, else the page as a listing."""
    async with open_poller(services) as poller:
        try:
            found = await source_discovery.find_feeds(
                services, poller.reader.client, poller.reader.pool, url, local_files_allowed=True
            )
        except SourceError as error:
            raise UsageError(
                f"cannot read the site to look for feeds ({error.reason});"
                f" give --kind to add {url} as it is"
            ) from None
    if not found:
        print(f"found no feed on {url}; adding the page as a listing")
        return url, "listing"
    feeds = "; ".join(f"{c.url} «{c.title or '-'}», {c.items} items" for c in found)
    print(f"found {len(found)} feed{'s' if len(found) > 1 else ''}: {feeds}")
    return found[0].url, "rss"


async def _import(services: Services, path: Path) -> None:
    """Add every source of an OPML file, or none when any of them is bad."""
    try:
        with path.open("rb") as file:
            data = file.read(OPML_MAX_BYTES + 1)
        sources = parse_opml(data)
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
    except OpmlError as error:
        raise UsageError(f"nothing imported, bad OPML: {error}") from None
    try:
        async with services.database.write() as session:
            report = await source_opml.import_sources(session, services, sources)
    except source_opml.OutlineError as error:
        raise UsageError(
            f"nothing imported, bad OPML: source {error.number} ({error.url[:60]}):"
            f" {_explained(error.error)}"
        ) from None
    for source in report.added:
        print(f"added #{source.id} {source.kind} {source.url}")
    for url in report.skipped:
        print(f"skipped {url}: already a source")
    print(f"imported {len(report.added)}, skipped {len(report.skipped)}")


async def _poll(services: Services, reference: str | None) -> int:
    """Poll one source (re-enabling it) or every due one; exit 1 if any poll failed."""
    async with open_poller(services) as poller:
        results = await source_use.poll_now(services, poller, reference or "")
    if results is None:
        raise UsageError(f"no source {reference!r}")
    for line in source_use.describe_polls(results):
        print(line)
    return 1 if any(result.status == "error" for result in results) else 0


async def _check(services: Services) -> int:
    """Read every source once without storing; a table of what works; exit 1 if any failed."""
    async with services.database.read() as session:
        sources = await source_queries.all_sources(session)
    if not sources:
        print("no sources")
        return 0
    zone = services.settings.zone
    print(header(), flush=True)
    async with open_poller(services) as poller:
        results = await check_sources(
            poller, sources, lambda checked: print(row(checked, zone), flush=True)
        )
    print(summary(results))
    return 0 if all(checked.ok for checked in results) else 1
