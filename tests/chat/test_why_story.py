"""/why names what tied a story's versions in two languages together, in the reader's words.

The end-to-end test runs the real bot against the Bot API emulator; the others format a reply.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.chat.replies import why
from bot.domain.digest import DigestArticle
from bot.domain.figures import Day, Quantity
from bot.domain.story_facts import Named
from bot.domain.story_ties import Tie
from bot.i18n import default_translator
from bot.ingest.files import ingest_files
from bot.usecases.why import StoryTie, WhyItem
from tests.chat.conftest import NOW, TAGGER, Harness
from tests.domain.story_samples import KAZAKH, RUSSIAN
from tests.live.live import item_number


def _page(path: Path, site: str, article: tuple[str, str]) -> Path:
    title, body = article
    path.write_text(f"{site}\n\nNews\n\n{title} 13.01.2025\n{body}\n", encoding="utf-8")
    return path


async def test_why_shows_what_tied_the_kazakh_and_russian_versions(
    harness: Harness, tmp_path: Path
) -> None:
    for name, site, article in (("kk", "Дала жаршысы", KAZAKH), ("ru", "Степной вестник", RUSSIAN)):
        await ingest_files(
            harness.database,
            [_page(tmp_path / f"{name}.txt", site, article)],
            tagger=TAGGER,
            zone=ZoneInfo("Asia/Almaty"),
            now=NOW,
            default_language="ru",
        )
    user, chat = harness.private_chat(language="en")
    await harness.say(user, chat, "/subscribe pavlodar")
    [digest] = await harness.say(user, chat, "/digest")
    text = digest.text or ""
    shown = KAZAKH[0] if KAZAKH[0] in text else RUSSIAN[0]
    assert (KAZAKH[0] in text) != (RUSSIAN[0] in text), "one item for the story"
    [why] = await harness.say(user, chat, f"/why {item_number(text, shown)}")
    answer = why.text or ""
    assert "🔗 One story with 1 other version; they share:" in answer, answer
    assert "1,200" in answer and "15 March" in answer, answer
    assert "Мукашев" in answer or "Мұқашев" in answer, answer


def _item(story: StoryTie) -> WhyItem:
    article = DigestArticle(
        id=1,
        title="Газ придёт в Солнечный",
        summary="",
        source_url=None,
        language="ru",
        published_at=datetime(2025, 1, 13, tzinfo=UTC),
        cluster_id=1,
        regions=("pavlodar",),
        topics=("utilities",),
    )
    return WhyItem(article=article, regions=(), topics=(), keywords=(), story=story)


def test_the_tie_is_written_in_the_reader_s_notation() -> None:
    ties = (
        Tie("quantity", 2, Quantity(1200.0, "family", 1200.0, "семей")),
        Tie("quantity", 2, Quantity(4.5e9, "tenge", 4.5, "млрд тенге")),
        Tie("person", 2, Named("mksv", "Мукашев")),
        Tie("day", 1, Day(3, 15)),
    )
    russian = why(default_translator().bind("ru"), 1, _item(StoryTie(2, ties)))
    assert "ещё в 2 публикациях; общее: 1 200 семей · 4,5 млрд тенге · Мукашев · 15 марта" in (
        russian
    )
    english = why(default_translator().bind("en"), 1, _item(StoryTie(1, ties)))
    assert "1 other version; they share: 1,200 семей · 4.5 млрд тенге" in english


def test_versions_tied_by_their_text_are_counted_without_facts() -> None:
    kazakh = why(default_translator().bind("kk"), 1, _item(StoryTie(3, ())))
    assert "🔗 Бұл жаңалық тағы 3 жарияланымда бар." in kazakh
