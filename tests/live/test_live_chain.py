"""The live chain as an operator runs it: a feed on a local server, the real `newsdigest run`
against the Bot API emulator, the source added with the CLI, a reader subscribed in the chat.

No test code calls the poller: the bot's own source tick fetches the feed (a repeat poll is
a conditional GET answered 304), a newly published item reaches the reader's /latest and the
next scheduled digest. Schedules are moved from outside, as an operator's SQL would.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from bot.emulator import Emulator
from tests.delivery.harness import (
    Tap,
    bot_env,
    read_rows,
    set_due,
    sqlite_instant,
    utc_now,
)
from tests.ingest.http_server import Document, LocalServer
from tests.live.live import Story, ask, eventually, rss, run_cli, running_bot

pytestmark = pytest.mark.slow
FEED = "/karaganda.xml"


def _stories() -> tuple[Story, Story]:
    now = utc_now().replace(microsecond=0)
    first = Story(
        "Karaganda region opens a new district heating line in Temirtau",
        "The akimat of Karaganda region reported that a new heating main of 4.2 kilometres "
        "was put into service in Temirtau ahead of the winter. It will serve 1,300 homes and "
        "two schools, the regional department of energy said.",
        "https://news.example.kz/karaganda/heating-line",
        now - timedelta(hours=2),
    )
    second = Story(
        "Karaganda region akimat announces 12 new bus routes for Saran and Shakhtinsk",
        "Twelve new bus routes will link Saran, Shakhtinsk and the city of Karaganda from "
        "Monday, the passenger transport department of Karaganda region said. Fares stay the "
        "same, and 40 new buses have been bought for the routes.",
        "https://news.example.kz/karaganda/bus-routes",
        now - timedelta(minutes=5),
    )
    return first, second


def _scheduled_later(database: Path) -> bool:
    """The bot has recorded its last poll: the source's next poll lies in the future."""
    now = sqlite_instant(utc_now())
    rows = read_rows(database, "SELECT next_poll_at FROM source WHERE kind = 'rss'")
    return bool(rows) and all(row[0] is not None and str(row[0]) > now for row in rows)


async def _make_source_due(database: Path, logs: Callable[[], str]) -> None:
    """Move the source's next poll into the past, once the bot has recorded the last one.

    The feed server sees a request before the bot stores its outcome; moving the schedule
    earlier would let the bot's own record of that poll (next poll in 5 minutes) win.
    """
    await eventually(lambda: _scheduled_later(database), 30, "poll recorded", logs)
    connection = sqlite3.connect(database, timeout=30)
    try:
        with connection:
            due = sqlite_instant(utc_now() - timedelta(minutes=1))
            connection.execute("UPDATE source SET next_poll_at = ? WHERE kind = 'rss'", (due,))
    finally:
        connection.close()


def _titles(database: Path) -> set[str]:
    return {str(row[0]) for row in read_rows(database, "SELECT title FROM article")}


async def test_a_published_item_reaches_latest_and_the_next_digest(
    emulator: Emulator, feeds: LocalServer, tmp_path: Path
) -> None:
    first, second = _stories()
    document = Document(
        rss([first]), content_type="application/rss+xml", etag='"v1"', last_modified=""
    )
    url = feeds.route(FEED, document)
    database = tmp_path / "bot.db"
    async with Tap(emulator, "bot") as tap:
        env = bot_env(
            f"sqlite+aiosqlite:///{database}",
            tap,
            source_tick_seconds=1,
            digest_tick_seconds=1,
            private_source_networks="127.0.0.1/32",  # the rule itself stays on
        )
        async with running_bot(emulator, tap, env, tmp_path) as bot:
            added = await run_cli(
                env, tmp_path, "sources", "add", url, "--kind", "rss", "--minutes", "5"
            )
            assert added.returncode == 0, added.stderr
            assert "added #" in added.stdout

            # The source tick polls the new source by itself.
            await eventually(lambda: feeds.statuses(FEED) == [200], 30, "first poll", bot.log)
            await eventually(lambda: first.title in _titles(database), 10, "stored", bot.log)
            reader = emulator.create_user("Aigerim", language_code="en")
            chat = emulator.create_private_chat(reader)
            subscribed = await ask(emulator, reader, chat, "/subscribe karaganda")
            assert "Karaganda" in (subscribed.text or "")
            latest = await ask(emulator, reader, chat, "/latest")
            assert first.title in (latest.text or "")

            # A repeat poll is a conditional GET, answered 304.
            await _make_source_due(database, bot.log)
            await eventually(lambda: feeds.statuses(FEED) == [200, 304], 30, "304", bot.log)
            assert feeds.answers[-1].if_none_match == '"v1"'

            published = time.monotonic()
            document.publish(rss([second, first]), etag='"v2"', last_modified="")
            await _make_source_due(database, bot.log)
            await eventually(lambda: second.title in _titles(database), 30, "new item", bot.log)
            latency = time.monotonic() - published
            print(f"published → stored, with the source due: {latency:.2f} s")
            latest = await ask(emulator, reader, chat, "/latest")
            assert second.title in (latest.text or "")
            assert feeds.statuses(FEED) == [200, 304, 200]

            # The next scheduled digest carries it too.
            before = len(emulator.messages_to(chat))
            set_due(database, [chat.id], utc_now() - timedelta(minutes=1))
            digest = await emulator.wait_for_messages(chat, before + 1, 30)
            text = "\n".join(message.text or "" for message in digest[before:])
            assert second.title in text and first.title in text
            assert "Traceback" not in bot.log()
