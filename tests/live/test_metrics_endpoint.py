"""/metrics and /healthz of the real `newsdigest run`, scraped over HTTP as Prometheus and a
container's health check do, before and after a source poll, a command and a delivery.

Schedules are moved from outside (SQL), as in the live chain: the source and the chat are
not due when the bot starts, so the first scrape is the "before".
"""

from __future__ import annotations

import asyncio
import socket
import sqlite3
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.emulator import Emulator
from tests.delivery.harness import (
    Tap,
    bot_env,
    prepare_database,
    read_rows,
    set_due,
    sqlite_instant,
    start_bot,
    utc_now,
)
from tests.ingest.http_server import Document, LocalServer
from tests.live.live import Story, ask, rss, run_cli, running_bot

pytestmark = pytest.mark.slow
FEED = "/almaty-region.xml"
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def scrape_text(port: int) -> str:
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(f"http://127.0.0.1:{port}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return response.text


async def scrape(port: int) -> Samples:
    """Every sample of GET /metrics, by name and labels."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(await scrape_text(port))
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples[name, tuple(sorted(labels.items()))]


async def health(port: int) -> tuple[int, dict[str, object]]:
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(f"http://127.0.0.1:{port}/healthz")
    return response.status_code, response.json()


async def until(
    port: int, check: Callable[[Samples], bool], what: str, logs: Callable[[], str]
) -> Samples:
    """Scrape every 0.1 s until `check` holds (the counters move as the bot works)."""
    deadline = time.monotonic() + 30
    while True:
        samples = await scrape(port)
        if check(samples):
            return samples
        if time.monotonic() > deadline:
            ours = {key: v for key, v in samples.items() if key[0].startswith("newsdigest_")}
            raise AssertionError(f"not within 30 s: {what}; last {ours}\n{logs()[-6000:]}")
        await asyncio.sleep(0.1)


async def health_until(
    port: int, wanted: Callable[[int, dict[str, object]], bool], what: str, logs: Callable[[], str]
) -> dict[str, object]:
    """GET /healthz every 0.1 s until `wanted(status, body)`; the body then."""
    deadline = time.monotonic() + 30
    while True:
        try:
            code, body = await health(port)
        except httpx.ConnectError:  # a process still starting has no listener yet
            code, body = 0, {}
        if wanted(code, body):
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"not within 30 s: {what}; last {code} {body}\n{logs()[-6000:]}")
        await asyncio.sleep(0.1)


def _story() -> Story:
    return Story(
        "Almaty region opens a new water pipeline in Talgar district",
        "The akimat of Almaty region said a 12-kilometre water pipeline now serves four "
        "villages of Talgar district; 6,000 residents get drinking water around the clock.",
        "https://news.example.kz/almaty-region/water-pipeline",
        utc_now().replace(microsecond=0) - timedelta(hours=1),
    )


def _sql(database: Path, statement: str, *parameters: object) -> None:
    connection = sqlite3.connect(database, timeout=30)
    try:
        with connection:
            connection.execute(statement, parameters)
    finally:
        connection.close()


async def _standby_answers(
    emulator: Emulator, env: dict[str, str], workdir: Path, logs: Callable[[], str]
) -> None:
    """A second instance on the same database stands by, and says so on its own listener."""
    port = free_port()
    async with Tap(emulator, "standby") as tap:
        standby_env = {
            **env,
            "TELEGRAM_API_BASE_URL": tap.base_url,
            "METRICS_LISTEN": f"127.0.0.1:{port}",
        }
        standby = await start_bot(standby_env, workdir, "standby")
        try:
            body = await health_until(
                port, lambda code, _body: code == 200, "a standby's health", standby.log
            )
            assert body == {
                "database": "ok",
                "role": "standby",
                "last_tick_age_seconds": None,
                "last_poll_age_seconds": None,
            }
            assert tap.count("getUpdates") == 0  # it really is standing by
            standby.terminate()
            assert await standby.wait_exit(30) == 0
        finally:
            await standby.stop()


async def _unreadable_database_is_unhealthy(
    database: Path, port: int, logs: Callable[[], str]
) -> None:
    """With no database at its path (a directory instead: root reads any mode), /healthz says
    503 although the bot's pooled connections still hold the old file; back, 200 again."""
    aside = _replace_with_directory(database)
    try:
        body = await health_until(port, lambda code, _body: code == 503, "503", logs)
        assert body["database"] == "unavailable"
        assert body["role"] == "sender"
    finally:
        _put_back(database, aside)
    body = await health_until(port, _sender, "healthy again", logs)
    assert body["database"] == "ok"


def _replace_with_directory(database: Path) -> Path:
    aside = database.with_name(database.name + ".aside")
    database.rename(aside)
    database.mkdir()
    return aside


def _put_back(database: Path, aside: Path) -> None:
    database.rmdir()
    aside.rename(database)


def _sender(code: int, body: dict[str, object]) -> bool:
    return code == 200 and body["role"] == "sender"


async def test_counters_move_and_health_follows_the_database(
    emulator: Emulator, feeds: LocalServer, tmp_path: Path
) -> None:
    story = _story()
    document = Document(
        rss([story]), content_type="application/rss+xml", etag='"v1"', last_modified=""
    )
    url = feeds.route(FEED, document)
    reader = emulator.create_user("Aigerim", language_code="en")
    chat = emulator.create_private_chat(reader)
    database = tmp_path / "bot.db"
    now = utc_now()
    database_url = await prepare_database(
        database, [chat.id], now=now, due_at=now + timedelta(days=1)
    )
    port = free_port()
    async with Tap(emulator, "bot") as tap:
        env = bot_env(
            database_url,
            tap,
            source_tick_seconds=1,
            digest_tick_seconds=1,
            private_source_networks="127.0.0.1/32",
            metrics_listen=f"127.0.0.1:{port}",
        )
        added = await run_cli(
            env, tmp_path, "sources", "add", url, "--kind", "rss", "--minutes", "5"
        )
        assert added.returncode == 0, added.stderr
        _sql(
            database, "UPDATE source SET next_poll_at = ?", sqlite_instant(now + timedelta(days=1))
        )
        async with running_bot(emulator, tap, env, tmp_path) as bot:
            body = await health_until(port, _sender, "a healthy sender", bot.log)
            assert body["database"] == "ok"

            before = await scrape(port)
            assert value(before, "newsdigest_source_polls_total", result="ok") == 0
            assert value(before, "newsdigest_articles_ingested_total", outcome="new") == 0
            assert value(before, "newsdigest_deliveries_total", status="sent") == 0
            assert value(before, "newsdigest_messages_sent_total") == 0
            assert value(before, "newsdigest_delivery_lag_seconds_count") == 0
            assert value(before, "newsdigest_updates_total", kind="command") == 0

            # Gauges come from the database within a refresh.
            sources = len(read_rows(database, "SELECT id FROM source"))  # the seeds' and ours
            await until(
                port,
                lambda s: (
                    value(s, "newsdigest_chats", state="active") == 1
                    and value(s, "newsdigest_sources", state="healthy") == sources
                    and value(s, "newsdigest_digests_due") == 0
                ),
                "gauges",
                bot.log,
            )

            await ask(emulator, reader, chat, "/help")
            await until(
                port,
                lambda s: value(s, "newsdigest_updates_total", kind="command") == 1,
                "a command counted",
                bot.log,
            )

            _sql(
                database,
                "UPDATE source SET next_poll_at = ? WHERE kind = 'rss'",
                sqlite_instant(utc_now() - timedelta(minutes=1)),
            )
            polled = await until(
                port,
                lambda s: value(s, "newsdigest_source_polls_total", result="ok") == 1,
                "a source poll counted",
                bot.log,
            )
            assert feeds.statuses(FEED) == [200]
            assert value(polled, "newsdigest_articles_ingested_total", outcome="new") == 1
            assert value(polled, "newsdigest_source_polls_total", result="error") == 0

            sent_before = len(emulator.messages_to(chat))
            set_due(database, [chat.id], utc_now() - timedelta(minutes=1))
            await emulator.wait_for_messages(chat, sent_before + 1, 30)
            delivered = await until(
                port,
                lambda s: value(s, "newsdigest_deliveries_total", status="sent") == 1,
                "a delivery counted",
                bot.log,
            )
            parts = value(delivered, "newsdigest_messages_sent_total")
            assert parts == len(emulator.messages_to(chat)) - sent_before >= 1
            assert value(delivered, "newsdigest_send_seconds_count") >= parts
            assert value(delivered, "newsdigest_delivery_lag_seconds_count") == 1
            assert 0 < value(delivered, "newsdigest_delivery_lag_seconds_sum") < 120
            assert value(delivered, "newsdigest_deliveries_total", status="failed") == 0
            assert emulator.token not in await scrape_text(port)

            code, body = await health(port)
            assert code == 200, body
            assert isinstance(body["last_tick_age_seconds"], float)
            assert 0 <= body["last_tick_age_seconds"] < 5
            assert isinstance(body["last_poll_age_seconds"], float)

            await _standby_answers(emulator, env, tmp_path, bot.log)
            await _unreadable_database_is_unhealthy(database, port, bot.log)
            assert "Traceback" not in bot.log()
