"""`newsdigest sources add|list|remove|poll`: the operators' source list from the shell."""

from __future__ import annotations

import argparse

from bot.clock import Clock
from bot.commands.common import UsageError, load_tagger, open_database
from bot.domain.telegram_html import visible_text
from bot.i18n import default_translator
from bot.ingest.poller import open_poller
from bot.settings import Settings
from bot.usecases import sources as source_use
from bot.usecases.services import Services
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
            try:
                async with database.write() as session:
                    source = await source_use.add_source(
                        session,
                        services,
                        url=arguments.url,
                        minutes=arguments.minutes,
                        kind=arguments.kind,
                        name=arguments.name or "",
                        local_files_allowed=True,  # the shell's user may name seed files
                    )
            except source_use.SourceInputError as error:
                message = default_translator().translate("en", error.key, **error.params)
                raise UsageError(visible_text(message)) from None
            print(f"added #{source.id} {source.kind} {source.url}")
        elif arguments.sources_command == "remove":
            async with database.write() as session:
                found = await source_use.find_source(session, reference=arguments.reference)
                if found is None or found.id is None:
                    raise UsageError(f"no source {arguments.reference!r}")
                await source_queries.remove(session, source_id=found.id)
            print(f"removed #{found.id} {found.url}")
        else:
            return await _poll(services, arguments.reference)
    return 0


async def _poll(services: Services, reference: str | None) -> int:
    """Poll one source (re-enabling it) or every due one; exit 1 if any poll failed."""
    async with open_poller(services) as poller:
        if reference:
            async with services.database.write() as session:
                source = await source_use.find_source(session, reference=reference)
                if source is None or source.id is None:
                    raise UsageError(f"no source {reference!r}")
                source.enabled = True
            results = [await poller.poll(source.id)]
        else:
            results = await poller.poll_due()
    for result in results:
        reason = f" ({result.reason})" if result.reason else ""
        print(f"#{result.source_id}: {result.status}, new {result.new}{reason}")
    return 1 if any(result.status == "error" for result in results) else 0
