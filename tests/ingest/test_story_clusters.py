"""Ingest clusters one story's versions in two languages through the real database.

Each file is stored in its own transaction, so the second version finds the first among the
stored candidates (by a fact key in `article_band`), not in memory.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlmodel import col

from bot.domain import story_record
from bot.domain.dedup import band_keys
from bot.ingest.files import ingest_files
from bot.ingest.prepare import Rejection, prepare_page
from bot.ingest.seed_files import UnreadableFile, read_seed_file
from bot.ingest.store import store_articles
from storage.engine import Database
from storage.models import Article
from storage.queries import articles as article_queries
from tests.domain.story_samples import KAZAKH, LOOK_ALIKE, RUSSIAN, TAGGER

NOW = datetime(2025, 3, 2, 7, 0, tzinfo=UTC)
ALMATY = ZoneInfo("Asia/Almaty")


def _page(path: Path, site: str, *articles: tuple[str, str]) -> Path:
    lines = [site, "", "News", ""]
    for title, body in articles:
        lines += [f"{title} 01.03.2025", body]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def _ingest(database: Database, path: Path) -> None:
    await ingest_files(database, [path], tagger=TAGGER, zone=ALMATY, now=NOW, default_language="ru")


async def _clusters(database: Database) -> dict[str, int]:
    async with database.read() as session:
        rows = await session.execute(select(col(Article.title), col(Article.cluster_id)))
        return {title: cluster or 0 for title, cluster in rows}


async def test_a_kazakh_and_a_russian_version_share_one_cluster(
    database: Database, tmp_path: Path
) -> None:
    await _ingest(database, _page(tmp_path / "kk.txt", "Дала жаршысы", KAZAKH))
    await _ingest(database, _page(tmp_path / "ru.txt", "Степной вестник", LOOK_ALIKE, RUSSIAN))
    clusters = await _clusters(database)
    assert clusters[RUSSIAN[0]] == clusters[KAZAKH[0]]
    assert clusters[LOOK_ALIKE[0]] != clusters[KAZAKH[0]]
    async with database.read() as session:
        versions = await article_queries.cluster_signatures(session, cluster_id=clusters[KAZAKH[0]])
    assert len(versions) == 2
    assert all(story_record.decode(blob)[1] is not None for _, blob in versions)


async def test_rows_stored_before_story_facts_still_cluster(
    database: Database, tmp_path: Path
) -> None:
    page = read_seed_file(_page(tmp_path / "old.txt", "Степной вестник", RUSSIAN))
    assert not isinstance(page, UnreadableFile)
    [prepared] = [
        row
        for row in prepare_page(page, tagger=TAGGER, zone=ALMATY, now=NOW, default_language="ru")
        if not isinstance(row, Rejection)
    ]
    sig, _ = story_record.decode(prepared.signature)
    old = replace(prepared, signature=sig.to_bytes(), band_keys=tuple(band_keys(sig)))
    await store_articles(database, [old], now=NOW)
    copy = (f"{RUSSIAN[0]}!", RUSSIAN[1])  # another outlet's copy: the same words
    await _ingest(database, _page(tmp_path / "copy.txt", "Вести", copy, KAZAKH))
    clusters = await _clusters(database)
    assert clusters[copy[0]] == clusters[RUSSIAN[0]]
