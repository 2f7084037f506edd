"""/why explains an urgent item as it explains tags: its category, the words that made it
urgent, and when its event starts and ends in the chat's time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.chat.replies import why
from bot.domain.digest import DigestArticle
from bot.i18n import default_translator
from bot.ingest.files import ingest_files
from bot.usecases.why import UrgentWhy, WhyItem
from tests.chat.conftest import NOW, TAGGER, Harness
from tests.live.live import item_number

ALMATY = ZoneInfo("Asia/Almaty")
TITLE = "В Караганде 9 декабря отключат холодную воду"
BODY = (
    "В Караганде 9 декабря отключат холодную воду с 10:00 до 18:00. Без воды останутся дома на "
    "улицах Ерубаева и Гоголя, сообщили в городском водоканале.Source : "
    "https://gorod-vesti.kz/krg/voda"
)


async def test_why_names_the_alert_category_cues_and_times(
    harness: Harness, tmp_path: Path
) -> None:
    page = tmp_path / "ru.txt"
    page.write_text(f"Городские вести\n\nНовости\n\n{TITLE} 13.01.2025\n{BODY}\n", encoding="utf-8")
    await ingest_files(
        harness.database, [page], tagger=TAGGER, zone=ALMATY, now=NOW, default_language="ru"
    )
    user, chat = harness.private_chat(language="en")
    await harness.say(user, chat, "/subscribe karaganda")
    [digest] = await harness.say(user, chat, "/digest")
    [answer] = await harness.say(user, chat, f"/why {item_number(digest.text or '', TITLE)}")
    text = answer.text or ""
    assert "🔌 Utility outage — urgent, from the words: отключ… + вод…" in text, text
    assert "🕒 9 December, 10:00–18:00" in text, text


def _item(urgent: UrgentWhy) -> WhyItem:
    article = DigestArticle(
        id=1,
        title=TITLE,
        summary="",
        source_url=None,
        language="ru",
        published_at=datetime(2025, 12, 8, tzinfo=UTC),
        cluster_id=1,
        regions=("karaganda",),
        topics=("utilities",),
    )
    return WhyItem(article=article, regions=(), topics=(), keywords=(), urgent=urgent)


def test_the_alert_line_is_in_the_reader_s_language() -> None:
    urgent = UrgentWhy(
        "road",
        ("трасс* ~ закры*",),
        ALMATY,
        starts_at=datetime(2025, 12, 11, 6, 0, tzinfo=ALMATY),
        ends_at=None,
    )
    russian = why(default_translator().bind("ru"), 2, _item(urgent))
    assert "🚧 Перекрытие дороги — срочно: в тексте есть трасс… + закры…" in russian
    assert "🕒 с 11 декабря, 06:00" in russian
    kazakh = why(default_translator().bind("kk"), 2, _item(urgent))
    assert "🚧 Жолдың жабылуы — шұғыл" in kazakh and "басталуы: 11 желтоқсан, 06:00" in kazakh
    english = why(default_translator().bind("en"), 2, _item(UrgentWhy("weather", (), ALMATY)))
    assert "⛈ Weather warning — urgent, from the words: —" in english
    assert "🕒" not in english
