"""Ingesting seed files into a real database: repairs stored, idempotent, updates, bad files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select, text

from bot.commands.common import load_tagger
from bot.ingest.files import IngestReport, ingest_files
from bot.ingest.seed_files import bundled_seed_dir
from storage.engine import Database
from storage.models import Article
from storage.queries import articles as article_queries

NOW = datetime(2025, 1, 14, 7, 0, tzinfo=UTC)
ALMATY = ZoneInfo("Asia/Almaty")
TAGGER = load_tagger()


async def _ingest(database: Database, *paths: Path, now: datetime = NOW) -> IngestReport:
    return await ingest_files(
        database, list(paths), tagger=TAGGER, zone=ALMATY, now=now, default_language="en"
    )


async def _articles(database: Database) -> list[Article]:
    async with database.read() as session:
        return list((await session.execute(select(Article).order_by(Article.id))).scalars())


def _page(*entries: tuple[str, str]) -> str:
    lines = ["Test Site", "", "News", ""]
    for title_line, body in entries:
        lines += [title_line, body]
    return "\n".join(lines) + "\n"


async def test_the_bundled_seeds_are_stored_repaired_and_tagged(database: Database) -> None:
    report = await _ingest(database, bundled_seed_dir())
    assert report.summary_line() == "new 20, duplicate 0, rejected 0, updated 0"
    articles = await _articles(database)
    titles = [a.title for a in articles]
    assert "502 Bad Gateway" not in titles
    assert titles[0] == "E-commerce is one of the drivers of economic growth"
    assert "Turkestan: public safety is under control" in titles
    first = articles[0]
    assert first.canonical_url == (
        "https://www.gov.kz/memleket/entities/karaganda/press/news/details/916692"
    )
    assert first.site_name == "gov.kz"
    assert "growth. Karaganda" in first.body
    assert "Source :" not in first.body
    assert first.language == "en"
    assert len(first.summary) <= 300
    # a date-only article counts from the start of its local day in Asia/Almaty (UTC+5)
    assert first.published_at == datetime(2025, 1, 12, 19, 0, tzinfo=UTC)
    assert all("Press service" not in a.summary for a in articles)
    async with database.read() as session:
        tags = await article_queries.tags_of(session, article_ids=[first.id or 0])
    regions, topics = tags[first.id or 0]
    assert regions[0] == "karaganda"
    assert topics


async def test_reingesting_the_same_file_adds_nothing(database: Database) -> None:
    await _ingest(database, bundled_seed_dir())
    again = await _ingest(database, bundled_seed_dir())
    assert again.summary_line() == "new 0, duplicate 20, rejected 0, updated 0"
    assert len(await _articles(database)) == 20


async def test_a_changed_article_at_the_same_url_is_updated_in_place(
    database: Database, tmp_path: Path
) -> None:
    url = "https://www.gov.kz/memleket/entities/karaganda/press/news/details/1"
    original = tmp_path / "a.txt"
    original.write_text(
        _page(
            (
                "Bridge opened in Temirtau 13.01.2025",
                f"A new bridge opened in Temirtau today.Source : {url}",
            )
        )
    )
    await _ingest(database, original)
    changed = tmp_path / "b.txt"
    changed.write_text(
        _page(
            (
                "Bridge opened in Temirtau 13.01.2025",
                f"A new bridge opened in Temirtau today after repairs.Source : {url}?utm_source=x",
            )
        )
    )
    report = await _ingest(database, changed)
    assert report.counts.updated == 1 and report.counts.new == 0
    articles = await _articles(database)
    assert len(articles) == 1
    assert articles[0].body == "A new bridge opened in Temirtau today after repairs."
    async with database.read() as session:
        found = await session.execute(text("SELECT count(*) FROM article_signature"))
        assert found.scalar() == 1


async def test_articles_without_source_are_kept_and_deduplicated_by_text(
    database: Database, tmp_path: Path
) -> None:
    page = tmp_path / "nosource.txt"
    page.write_text(_page(("No link here 13.01.2025", "A story that names no source at all.")))
    first = await _ingest(database, page)
    second = await _ingest(database, page)
    assert (first.counts.new, second.counts.duplicate) == (1, 1)
    [article] = await _articles(database)
    assert article.source_url is None and article.canonical_url is None
    assert article.site_name == "Test Site"


async def test_a_malformed_file_names_the_line_and_keeps_the_good_articles(
    database: Database, tmp_path: Path
) -> None:
    page = tmp_path / "broken.txt"
    page.write_text(
        _page(
            ("Good first 13.01.2025", "First good story about Karaganda."),
            ("Bad date 45.01.2025", "Lost story."),
            ("Good second 13.01.2025", "Second good story about Turkestan."),
        )
    )
    report = await _ingest(database, page)
    assert report.counts.new == 2
    assert [r.describe() for r in report.rejections] == [
        "broken.txt:7: seed.invalid_date (45.01.2025)"
    ]
    assert report.summary_line().startswith("new 2, duplicate 0, rejected 1")


async def test_a_missing_path_is_a_rejection_not_a_crash(
    database: Database, tmp_path: Path
) -> None:
    report = await _ingest(database, tmp_path / "nope.txt", bundled_seed_dir())
    assert report.files_read == 1
    assert report.rejections[0].reason == "ingest.not_found"


async def test_non_utf8_files_are_decoded(database: Database, tmp_path: Path) -> None:
    page = tmp_path / "cp1251.txt"
    page.write_bytes(
        _page(
            ("Новости Караганды 13.01.2025", "В Караганде открыли новую школу на 600 мест.")
        ).encode("cp1251")
    )
    report = await _ingest(database, page)
    assert report.counts.new == 1
    [article] = await _articles(database)
    assert article.title == "Новости Караганды"
    assert article.language == "ru"


async def test_a_reworded_copy_from_another_site_joins_the_cluster(
    database: Database, tmp_path: Path
) -> None:
    body = (
        "The akimat of Karaganda region reported that 56 kilometers of roads will be repaired "
        "in Bukhar-Zhyrau district this year. Work will start in April and finish by October. "
        "Contractors were chosen through public procurement, and the budget is 4 billion tenge. "
        "Residents of Botakara and Dubovka villages will get new asphalt first."
    )
    first = tmp_path / "one.txt"
    first.write_text(
        _page(("Roads to be repaired 13.01.2025", body + " Source : https://a.kz/news/1"))
    )
    copy = tmp_path / "two.txt"
    copy.write_text(
        _page(
            (
                "56 km of roads will be repaired 13.01.2025",
                body.replace("will be repaired", "are to be repaired") + " Source : https://b.kz/2",
            )
        )
    )
    other = tmp_path / "three.txt"
    other.write_text(
        _page(
            (
                "School opened 13.01.2025",
                "A new school for 600 pupils opened in Saran. The akimat of Karaganda "
                "region said that teachers were hired. Source : https://a.kz/news/3",
            )
        )
    )
    report = await _ingest(database, first, copy, other)
    assert report.counts.new == 3
    articles = await _articles(database)
    assert articles[0].cluster_id == articles[0].id
    assert articles[1].cluster_id == articles[0].id
    assert articles[2].cluster_id == articles[2].id


async def test_ingest_times_are_recorded(database: Database) -> None:
    await _ingest(database, bundled_seed_dir())
    articles = await _articles(database)
    assert {a.ingested_at for a in articles} == {NOW}
