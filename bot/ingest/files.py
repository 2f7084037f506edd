"""The `ingest` use case: seed-format files and folders into the database."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain.tagging import Tagger
from bot.domain.taxonomy import Language
from bot.ingest.prepare import Rejection, prepare_page
from bot.ingest.seed_files import UnreadableFile, expand_paths, read_seed_file
from bot.ingest.store import StoreCounts, store_articles
from storage.engine import Database
from storage.queries.articles import ArticleInput


@dataclass
class IngestReport:
    """Counts of one ingest run and the reason for each rejection."""

    files_read: int = 0
    counts: StoreCounts = field(default_factory=StoreCounts)
    rejections: list[Rejection] = field(default_factory=list)

    def summary_line(self) -> str:
        return (
            f"new {self.counts.new}, duplicate {self.counts.duplicate}, "
            f"rejected {len(self.rejections)}, updated {self.counts.updated}"
        )


async def ingest_files(
    database: Database,
    paths: Sequence[Path],
    *,
    tagger: Tagger,
    zone: ZoneInfo,
    now: datetime,
    default_language: Language,
    progress: Callable[[str], None] = lambda _: None,
) -> IngestReport:
    """Read, repair, tag and store every article of the given files and folders."""
    report = IngestReport()
    for item in expand_paths(paths):
        page = read_seed_file(item) if isinstance(item, Path) else item
        if isinstance(page, UnreadableFile):
            report.rejections.append(Rejection(str(page.path), page.reason, page.detail))
            continue
        report.files_read += 1
        prepared: list[ArticleInput] = []
        for result in prepare_page(
            page, tagger=tagger, zone=zone, now=now, default_language=default_language
        ):
            if isinstance(result, Rejection):
                report.rejections.append(result)
            else:
                prepared.append(result)
        report.counts.add(await store_articles(database, prepared, now=now))
        progress(f"{page.entries[0].file_name if page.entries else item}: {len(prepared)} read")
    return report
