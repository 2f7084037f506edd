"""One story told in two languages by two outlets reaches each reader once, in their language.

Two local feeds (a Kazakh-language paper and a Russian-language one) publish the same gas
story in their own words, and the Russian one also a story of the same kind in another town.
The real `newsdigest run` polls both; a Kazakh and a Russian reader of Pavlodar region each get
one item for the shared story, in their own language, naming the other language, and `/why`
says what tied the two versions. The look-alike from another town stays its own story.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.emulator import Chat, Emulator, User
from tests.delivery.harness import Tap, bot_env, read_rows, set_due, utc_now
from tests.ingest.http_server import Document, LocalServer
from tests.live.live import Story, ask, eventually, item_number, rss, run_cli, running_bot

pytestmark = pytest.mark.slow


def _stories() -> tuple[Story, Story, Story]:
    now = utc_now().replace(microsecond=0)
    kazakh = Story(
        "Екібастұзда 1 200 отбасы табиғи газға қосылады",
        "Павлодар облысы Екібастұз қаласының Солнечный кентінде 1 200 отбасы табиғи газға "
        "қосылады. Құрылысқа 4,5 млрд теңге бөлінді, тарату желісінің ұзындығы 38 шақырым. "
        "Жұмыстар 15 наурызда басталады, деп хабарлады қала әкімі Ерлан Мұқашев.",
        "https://dala-news.example.kz/kk/ekibastuz-gas",
        now - timedelta(hours=3),
    )
    russian = Story(
        "Газ придёт в Солнечный: 1200 семей Экибастуза подключат к сети",
        "В посёлке Солнечный Экибастуза к природному газу подключат 1200 семей, сообщил аким "
        "города Ерлан Мукашев. На строительство распределительных сетей протяжённостью 38 км "
        "выделено 4,5 млрд тенге, работы начнутся 15 марта.",
        "https://stepnoy-vestnik.example.kz/ru/solnechny-gaz",
        now - timedelta(hours=2),
    )
    look_alike = Story(
        "В Аксу 800 семей подключат к газу",
        "В городе Аксу Павлодарской области к природному газу подключат 800 семей. На "
        "строительство сетей протяжённостью 21 км выделено 2,1 млрд тенге, работы начнутся "
        "1 апреля, сообщили в акимате города.",
        "https://stepnoy-vestnik.example.kz/ru/aksu-gaz",
        now - timedelta(hours=1),
    )
    return kazakh, russian, look_alike


def _feed(stories: list[Story]) -> Document:
    return Document(rss(stories), content_type="application/rss+xml", etag='"1"', last_modified="")


def _clusters(database: Path) -> dict[str, int]:
    """Cluster ids of the stored articles of the two feeds (the sample pack's aside)."""
    rows = read_rows(
        database, "SELECT title, cluster_id FROM article WHERE source_url LIKE '%example.kz%'"
    )
    return {str(title): int(cluster) for title, cluster in rows}


def _sent_digests(database: Path, chat: Chat) -> int:
    query = "SELECT count(*) FROM delivery WHERE chat_id = ? AND status = 'sent'"
    rows = read_rows(database, query, (chat.id,))
    return int(rows[0][0])


async def _digest(emulator: Emulator, database: Path, chat: Chat) -> str:
    """The chat's next scheduled digest, once the ledger says all its parts were sent."""
    before = len(emulator.messages_to(chat))
    set_due(database, [chat.id], utc_now() - timedelta(minutes=1))
    await eventually(lambda: _sent_digests(database, chat) == 1, 30, "digest sent")
    messages = emulator.messages_to(chat)
    return "\n".join(message.text or "" for message in messages[before:])


async def _reader(emulator: Emulator, name: str, language: str) -> tuple[User, Chat]:
    user = emulator.create_user(name, language_code=language)
    return user, emulator.create_private_chat(user)


async def test_a_story_in_two_languages_reaches_each_reader_once_in_their_language(
    emulator: Emulator, feeds: LocalServer, tmp_path: Path
) -> None:
    kazakh, russian, look_alike = _stories()
    kk_feed = feeds.route("/dala.xml", _feed([kazakh]))
    ru_feed = feeds.route("/vestnik.xml", _feed([look_alike, russian]))
    database = tmp_path / "bot.db"
    async with Tap(emulator, "bot") as tap:
        env = bot_env(
            f"sqlite+aiosqlite:///{database}",
            tap,
            source_tick_seconds=1,
            digest_tick_seconds=1,
            private_source_networks="127.0.0.1/32",
        )
        async with running_bot(emulator, tap, env, tmp_path) as bot:
            for url in (kk_feed, ru_feed):
                added = await run_cli(env, tmp_path, "sources", "add", url, "--kind", "rss")
                assert added.returncode == 0, added.stderr
            await eventually(lambda: len(_clusters(database)) == 3, 30, "all stored", bot.log)
            clusters = _clusters(database)
            assert clusters[kazakh.title] == clusters[russian.title]
            assert clusters[look_alike.title] != clusters[russian.title]

            for name, language, shown, hidden, other in (
                ("Aigerim", "kk", kazakh.title, russian.title, "🌐 рус"),
                ("Sergei", "ru", russian.title, kazakh.title, "🌐 қаз"),
            ):
                user, chat = await _reader(emulator, name, language)
                await ask(emulator, user, chat, "/subscribe pavlodar")
                digest = await _digest(emulator, database, chat)
                assert shown in digest and hidden not in digest, digest
                assert other in digest, digest
                assert look_alike.title in digest, digest
                why = await ask(emulator, user, chat, f"/why {item_number(digest, shown)}")
                assert "1 200" in (why.text or ""), why.text
            assert "Traceback" not in bot.log()
