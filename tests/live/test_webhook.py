"""Webhook mode: two real `newsdigest run` processes on one database, each serving its own
WEBHOOK_LISTEN, as two instances behind a load balancer. The test plays the balancer: it takes
the emulator's queued updates and POSTs each to one instance, as Telegram would to the URL.

On PostgreSQL both instances answer; on SQLite, which runs one acting instance, the standby does
not serve its webhook until it leads (a standby answering /digest would be a second sender). A
request without the secret or with a wrong one is refused with 403 and never handled, nobody
long-polls, nobody deletes the webhook on SIGTERM, and the secret never reaches a log (even at
DEBUG, where python-telegram-bot logs setWebhook's parameters).
"""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.emulator import Chat, Emulator
from bot.emulator.http import Request, Response
from storage.engine import create_database
from storage.migrate import upgrade_schema
from tests.delivery.harness import BotProcess, Tap, bot_env, start_bot
from tests.live.live import eventually
from tests.ports import free_port
from tests.postgres import own_database

pytestmark = pytest.mark.slow
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")
URL = "https://bot.example.kz/tg/hook"
SECRET = "webhook_SECRET-7f3a9c2e41"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookTap(Tap):
    """A tap that also keeps the parameters of each setWebhook call of its process."""

    def __init__(self, emulator: Emulator, label: str) -> None:
        super().__init__(emulator, label)
        self.webhooks: list[dict[str, Any]] = []

    async def _handle(self, request: Request) -> Response | None:
        if request.path.rstrip("/").endswith("/setWebhook"):
            self.webhooks.append(request.form())
        return await super()._handle(request)


def reader(emulator: Emulator, name: str) -> Chat:
    """A user the emulator knows, in a private chat with the bot."""
    return emulator.create_private_chat(emulator.create_user(name, language_code="en"))


def queued(emulator: Emulator, chat: Chat, text: str) -> dict[str, Any]:
    """The update Telegram would post for `text` written in `chat` (taken off the queue)."""
    emulator.send_message(chat.id, chat, text)
    update = emulator.pending_updates()[-1]
    emulator.state.confirm(update["update_id"] + 1)
    return update


async def serving(bot: BotProcess) -> None:
    """Wait until the instance's webhook server listens (it logs so once it does)."""
    await eventually(
        lambda: "webhook server listening" in bot.log(),
        30,
        f"{bot.log_path.stem} serves its webhook",
        bot.log,
    )


async def post(
    client: httpx.AsyncClient, port: int, update: dict[str, Any], secret: str | None
) -> int:
    headers = {} if secret is None else {HEADER: secret}
    response = await client.post(f"http://127.0.0.1:{port}/tg/hook", json=update, headers=headers)
    return response.status_code


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A migrated database the two instances share: a SQLite file, or PostgreSQL."""
    if request.param == "postgresql":
        async with own_postgres_database() as url:
            yield url
        return
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    database = create_database(url)
    await upgrade_schema(database)  # once, before two processes open it
    await database.dispose()
    yield url


async def test_two_instances_answer_webhook_updates(
    emulator: Emulator, tmp_path: Path, backend_url: str
) -> None:
    url = backend_url
    shared = not url.startswith("sqlite")
    chats = [reader(emulator, name) for name in ("Aigerim", "Bauyrzhan", "Intruder")]
    ports = [free_port(), free_port()]
    bots: list[BotProcess] = []
    try:
        taps = [WebhookTap(emulator, "a"), WebhookTap(emulator, "b")]
        async with taps[0], taps[1]:
            for name, tap, port in zip(("a", "b"), taps, ports, strict=True):
                env = bot_env(
                    url,
                    tap,
                    webhook_url=URL,
                    webhook_listen=f"127.0.0.1:{port}",
                    webhook_secret=SECRET,
                    log_level="DEBUG",
                )
                bots.append(await start_bot(env, tmp_path, name))
                if shared or name == "a":
                    await serving(bots[-1])
            if not shared:  # SQLite: the standby serves nothing until it leads
                await eventually(
                    lambda: "stands by" in bots[1].log(), 30, "b stands by", bots[1].log
                )
                assert "webhook server listening" not in bots[1].log()
                ports[1] = ports[0]  # the balancer's health check sends all to the leader
            for tap in taps[: 2 if shared else 1]:
                assert [(w["url"], w["secret_token"]) for w in tap.webhooks] == [(URL, SECRET)]
            assert emulator.state.webhook_url == URL

            async with httpx.AsyncClient(timeout=10) as client:
                intruder = chats[2]
                refused = [
                    await post(client, ports[0], queued(emulator, intruder, "/start"), None),
                    await post(client, ports[1], queued(emulator, intruder, "/start"), "wrong"),
                    await post(client, ports[0], queued(emulator, intruder, "/start"), SECRET[:-1]),
                ]
                assert refused == [403, 403, 403]
                posted = time.monotonic()
                for chat, port in zip(chats, ports, strict=False):
                    assert await post(client, port, queued(emulator, chat, "/start"), SECRET) == 200
                for chat in chats[:2]:
                    await emulator.wait_for_messages(chat, 1, timeout=30)
                print(f"both instances answered {time.monotonic() - posted:.3f} s after the POSTs")

            # Each instance answered its own reader; updates are handled in order, so the
            # refused ones (never queued) would have been answered by now.
            for tap, chat in zip(taps[: 2 if shared else 1], chats, strict=False):
                assert tap.count("sendMessage") >= 1, chat.id
            assert emulator.messages_to(chats[2]) == []
            if not shared:
                assert taps[1].count("sendMessage") == 0  # one acting instance on SQLite
            for tap in taps:
                assert tap.count("getUpdates") == 0
            for bot in bots:
                bot.terminate()
            for bot in bots:
                assert await bot.wait_exit(30) == 0, bot.log()
            for tap in taps:
                assert tap.count("deleteWebhook") == 0
            assert emulator.state.webhook_url == URL  # still set for the other instances
        for bot in bots[: 2 if shared else 1]:
            assert "setWebhook" in bot.log()  # DEBUG logged its parameters, redacted
        for bot in bots:
            log = bot.log()
            assert SECRET not in log
            assert emulator.token not in log
            # (PTB logs each refused request's traceback at DEBUG: no ERROR, though.)
            assert " ERROR " not in log
    finally:
        for bot in bots:
            await bot.stop()


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A database of this test's own on TEST_POSTGRES_URL's server, dropped afterwards."""
    async with own_postgres_database() as url:
        yield url


@asynccontextmanager
async def own_postgres_database() -> AsyncIterator[str]:
    """A migrated database on TEST_POSTGRES_URL's server for one test (skips without one)."""
    if not POSTGRES_URL:
        pytest.skip("TEST_POSTGRES_URL is not set")
    async with own_database(POSTGRES_URL, "nd_webhook") as url:
        database = create_database(url)
        await upgrade_schema(database)
        await database.dispose()
        yield url


async def steal_lease(url: str, seconds: int) -> None:
    """Hand the sender lease to another holder for `seconds`, as a late renewal would."""
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "UPDATE lease SET holder = 'elsewhere', "
                    "expires_at = now() + make_interval(secs => :seconds)"
                ),
                {"seconds": seconds},
            )
    finally:
        await engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("mode", ["webhook", "polling"])
async def test_a_leader_that_loses_the_lease_answers_on_and_leads_again(
    emulator: Emulator, tmp_path: Path, postgres_url: str, mode: str
) -> None:
    """On PostgreSQL a leader whose lease another instance took goes on answering (webhook) or
    stops polling (Telegram allows one poller), and polls again once it wins the lease back."""
    port = free_port()
    webhook = {"webhook_url": URL, "webhook_listen": f"127.0.0.1:{port}", "webhook_secret": SECRET}
    chat = reader(emulator, "Dana")
    async with Tap(emulator, mode) as tap:
        env = bot_env(postgres_url, tap, lease_seconds=3, **(webhook if mode == "webhook" else {}))
        bot = await start_bot(env, tmp_path, mode)
        try:
            await eventually(lambda: bot.log().count("leading: ") == 1, 30, "leads", bot.log)
            await steal_lease(postgres_url, 5)
            await eventually(lambda: "no longer leading" in bot.log(), 10, "lead lost", bot.log)
            polls = tap.count("getUpdates")
            if mode == "webhook":  # still serving the updates it is given
                async with httpx.AsyncClient(timeout=10) as client:
                    update = queued(emulator, chat, "/start")
                    assert await post(client, port, update, SECRET) == 200
                await emulator.wait_for_messages(chat, 1, timeout=30)
            else:  # an update that waits at Telegram while nobody polls
                emulator.send_message(chat.id, chat, "/start")
            await eventually(lambda: bot.log().count("leading: ") == 2, 20, "leads again", bot.log)
            await emulator.wait_for_messages(chat, 1, timeout=30)
            if mode == "polling":
                assert tap.count("getUpdates") > polls
            # Polling deletes any webhook each time it starts; a webhook instance never does.
            assert tap.count("deleteWebhook") == (2 if mode == "polling" else 0)
            bot.terminate()
            assert await bot.wait_exit(30) == 0, bot.log()
            assert " ERROR " not in bot.log()
        finally:
            await bot.stop()
