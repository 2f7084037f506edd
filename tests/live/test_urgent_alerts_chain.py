"""Issue 19's chain: an outage notice in a local feed becomes one alert, for the right readers,
within a minute, held through quiet hours, and never repeated for the story's other language.

A local Russian-language feed publishes a water outage notice for Karaganda (written for this
test, dated tomorrow). The real `newsdigest run` polls it, detects the outage, and alerts the
Karaganda reader with alerts on within 60 s at the default ALERT_TICK_SECONDS; a Turkestan
reader and a Karaganda reader with alerts off get nothing; a Karaganda reader in quiet hours
gets it when they end. A Kazakh outlet's version of the same notice, published later, alerts
nobody again. The chats are prepared in the database before the bot starts, as an operator's
restore would leave them; the sources are added with the CLI.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.emulator import Chat, Emulator
from storage.engine import create_database
from storage.migrate import upgrade_schema
from storage.models import Chat as StoredChat
from storage.models import Source, Subscription
from tests.delivery.harness import Tap, bot_env, read_rows, utc_now
from tests.ingest.http_server import Document, LocalServer
from tests.live.live import Story, eventually, rss, run_cli, running_bot

pytestmark = pytest.mark.slow
ZONE = ZoneInfo("Asia/Almaty")
RU_MONTHS = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
KK_MONTHS = (
    "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
    "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
)  # fmt: skip


def _notices(now: datetime) -> tuple[Story, Story]:
    """The Russian notice and its Kazakh version, for tomorrow local time, in our own words."""
    day = (now.astimezone(ZONE) + timedelta(days=1)).date()
    ru_day, kk_day = (
        f"{day.day} {RU_MONTHS[day.month - 1]}",
        f"{day.day} {KK_MONTHS[day.month - 1]}",
    )
    russian = Story(
        f"В Караганде {ru_day} отключат холодную воду",
        f"{ru_day} с 10:00 до 18:00 в Юго-Восточном районе Караганды не будет холодной воды: "
        "на водоводе по улице Муканова меняют две задвижки диаметром 500 мм. Без воды "
        "останутся 42 многоэтажных дома по улицам Муканова, Ерубаева и Волочаевской, "
        "сообщили в ТОО «Караганды Су». Жителей просят заранее запастись водой.",
        "https://saryarka-times.example.kz/ru/otklyuchenie-vody",
        now - timedelta(minutes=30),
    )
    kazakh = Story(
        f"Қарағандыда {kk_day} суық су болмайды",
        f"{kk_day} күні сағат 10:00-ден 18:00-ге дейін Қарағандының Оңтүстік-Шығыс ауданында "
        "суық су берілмейді: Мұқанов көшесіндегі су құбырында диаметрі 500 мм екі ысырма "
        "ауыстырылады. Мұқанов, Ерубаев және Волочаевская көшелеріндегі 42 көпқабатты үй "
        "сусыз қалады, деп хабарлады «Қарағанды Су» ЖШС. Тұрғындарға алдын ала су жинап "
        "алу ұсынылады.",
        "https://ortalyq-habar.example.kz/kk/su-oshiriledi",
        now - timedelta(minutes=5),
    )
    return russian, kazakh


def _quiet_hours(now: datetime) -> tuple[tuple[str, str], datetime]:
    """Quiet hours from two hours ago to a whole minute 50-110 s ahead (local HH:MM), and
    the instant they end."""
    local = now.astimezone(ZONE)
    end = (local + timedelta(seconds=110)).replace(second=0, microsecond=0)
    start = local - timedelta(hours=2)
    return (f"{start:%H:%M}", f"{end:%H:%M}"), end.astimezone(UTC)


async def _prepare(
    path: Path, readers: list[tuple[Chat, str, bool, tuple[str, str] | None]]
) -> str:
    """Migrate, and add the readers (chat, region, alerts on, quiet hours); a disabled source
    keeps the sample pack's articles out, so every alert comes from the feeds."""
    url = f"sqlite+aiosqlite:///{path}"
    database = create_database(url)
    now = utc_now()
    try:
        await upgrade_schema(database)
        async with database.write() as session:
            session.add(
                Source(kind="rss", url="http://127.0.0.1:9/off", enabled=False, created_at=now)
            )
            for chat, _, alerts, quiet in readers:
                session.add(
                    StoredChat(
                        id=chat.id, language="ru", alerts=alerts,
                        quiet_start=quiet[0] if quiet else None,
                        quiet_end=quiet[1] if quiet else None,
                        next_due_at=now + timedelta(days=1), created_at=now, updated_at=now,
                    )
                )  # fmt: skip
            await session.flush()
            for chat, region, _, _ in readers:
                session.add(
                    Subscription(chat_id=chat.id, kind="region", value=region, created_at=now)
                )
    finally:
        await database.dispose()
    return url


def _stored(database: Path, link: str) -> tuple[int, str | None] | None:
    rows = read_rows(
        database,
        "SELECT coalesce(cluster_id, id), alert_category FROM article WHERE source_url = ?",
        (link,),
    )
    if not rows:
        return None
    story, category = rows[0]
    return int(str(story)), None if category is None else str(category)


def _alerts(emulator: Emulator, chat: Chat) -> list[str]:
    return [m.text or "" for m in emulator.messages_to(chat) if "🔌" in (m.text or "")]


async def test_an_outage_notice_alerts_its_region_once_within_a_minute(
    emulator: Emulator, feeds: LocalServer, tmp_path: Path
) -> None:
    russian, kazakh = _notices(utc_now())
    quiet, quiet_ends = _quiet_hours(utc_now())
    readers = {
        name: emulator.create_private_chat(emulator.create_user(name, language_code="ru"))
        for name in ("karaganda", "turkestan", "switched_off", "asleep")
    }
    database = tmp_path / "bot.db"
    url = await _prepare(
        database,
        [
            (readers["karaganda"], "karaganda", True, None),
            (readers["turkestan"], "turkestan", True, None),
            (readers["switched_off"], "karaganda", False, None),
            (readers["asleep"], "karaganda", True, quiet),
        ],
    )
    feed = Document(
        rss([russian]), content_type="application/rss+xml", etag='"1"', last_modified=""
    )
    later = Document(
        rss([kazakh]), content_type="application/rss+xml", etag='"1"', last_modified=""
    )
    ru_feed = feeds.route("/saryarka.xml", feed)
    kk_feed = feeds.route("/ortalyq.xml", later)
    async with Tap(emulator, "bot") as tap:
        # The default ALERT_TICK_SECONDS (15): the minute must hold at the default.
        env = bot_env(url, tap, source_tick_seconds=1, private_source_networks="127.0.0.1/32")
        async with running_bot(emulator, tap, env, tmp_path) as bot:
            added = await run_cli(env, tmp_path, "sources", "add", ru_feed, "--kind", "rss")
            assert added.returncode == 0, added.stderr
            await eventually(
                lambda: _stored(database, russian.link) is not None, 60, "stored", bot.log
            )
            stored_at = time.monotonic()
            story = _stored(database, russian.link)
            assert story is not None and story[1] == "outage", story

            took = await eventually(
                lambda: len(_alerts(emulator, readers["karaganda"])) == 1, 60, "alert", bot.log
            )
            print(f"stored to alerted: {time.monotonic() - stored_at:.1f} s ({took:.1f} s wait)")
            [alert] = _alerts(emulator, readers["karaganda"])
            assert russian.title in alert and "Карагандинская область" in alert, alert

            await eventually(
                lambda: len(_alerts(emulator, readers["asleep"])) == 1, 200, "held alert", bot.log
            )
            assert utc_now() >= quiet_ends, "sent before the quiet hours ended"
            assert utc_now() - quiet_ends < timedelta(seconds=40), "not sent when they ended"

            added = await run_cli(env, tmp_path, "sources", "add", kk_feed, "--kind", "rss")
            assert added.returncode == 0, added.stderr
            await eventually(lambda: _stored(database, kazakh.link) is not None, 60, "kk", bot.log)
            assert _stored(database, kazakh.link) == story, "the versions are one story"
            await asyncio.sleep(20)  # more than one alert tick: nothing more may come
            for name, count in (
                ("karaganda", 1),
                ("turkestan", 0),
                ("switched_off", 0),
                ("asleep", 1),
            ):
                assert len(_alerts(emulator, readers[name])) == count, name
            assert "Traceback" not in bot.log()
