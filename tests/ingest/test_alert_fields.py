"""Ingest stores each article's alert category and event times, and versions of one notice in
two languages share a story (so an alert for it goes out once)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlmodel import col

from bot.commands.common import load_tagger
from bot.ingest.files import ingest_files
from storage.engine import Database
from storage.models import Article

NOW = datetime(2025, 12, 8, 6, 0, tzinfo=UTC)
ALMATY = ZoneInfo("Asia/Almaty")
TAGGER = load_tagger()

RUSSIAN = (
    "В Караганде 9 декабря отключат холодную воду 08.12.2025",
    "В Караганде 9 декабря отключат холодную воду с 10:00 до 18:00. Без воды останутся дома "
    "на улицах Ерубаева и Гоголя, сообщили в городском водоканале. Без воды останутся около "
    "1 200 абонентов.Source : https://gorod-vesti.kz/krg/voda-9-dekabrya",
)
KAZAKH = (
    "Қарағандыда 9 желтоқсанда суық су өшіріледі 08.12.2025",
    "Қарағандыда 9 желтоқсанда сағат 10:00-ден 18:00-ге дейін суық су өшіріледі. Ерубаев және "
    "Гоголь көшелеріндегі үйлер сусыз қалады, деп хабарлады қалалық су арнасы. 1 200-ге жуық "
    "абонент сусыз қалады.Source : https://onir-tynysy.kz/krg/su-9-zheltoqsan",
)
REPORT = (
    "В Караганде подвели итоги отопительного сезона 08.12.2025",
    "В прошлом году на тепловых сетях Караганды произошло 38 аварий, отключения тепла длились "
    "в среднем 9 часов.Source : https://gorod-vesti.kz/krg/itogi",
)


def _page(path: Path, site: str, *entries: tuple[str, str]) -> Path:
    lines = [site, "", "News", ""]
    for title_line, body in entries:
        lines += [title_line, body]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def test_urgent_articles_are_stored_with_category_and_times(
    database: Database, tmp_path: Path
) -> None:
    pages = [
        _page(tmp_path / "ru.txt", "Городские вести", RUSSIAN, REPORT),
        _page(tmp_path / "kk.txt", "Өңір тынысы", KAZAKH),
    ]
    await ingest_files(database, pages, tagger=TAGGER, zone=ALMATY, now=NOW, default_language="ru")
    async with database.read() as session:
        stored = list((await session.execute(select(Article).order_by(col(Article.id)))).scalars())
    russian, report, kazakh = stored
    for notice in (russian, kazakh):
        assert notice.alert_category == "outage"
        assert notice.alert_starts_at == datetime(2025, 12, 9, 5, 0, tzinfo=UTC)
        assert notice.alert_ends_at == datetime(2025, 12, 9, 13, 0, tzinfo=UTC)
    assert report.alert_category is None
    assert report.alert_starts_at is None and report.alert_ends_at is None
    assert russian.cluster_id == kazakh.cluster_id, "one story: one alert"
