"""`newsdigest ingest PATH...`: seed-format files and folders into the database."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from bot.clock import Clock
from bot.commands.common import load_tagger, open_database
from bot.ingest.files import IngestReport, ingest_files
from bot.settings import Settings


async def ingest_command(settings: Settings, paths: Sequence[Path], clock: Clock) -> int:
    """Print one summary line and the reason for each rejection; fail only if nothing was read."""
    async with open_database(settings.database_url) as database:
        report = await ingest_files(
            database,
            paths,
            tagger=load_tagger(),
            zone=settings.zone,
            now=clock.now(),
            default_language=settings.default_language,
            progress=lambda line: print(line, file=sys.stderr),
        )
    print_report(report)
    return 0 if report.files_read else 1


def print_report(report: IngestReport) -> None:
    print(report.summary_line())
    for rejection in report.rejections:
        print(f"rejected {rejection.describe()}")
