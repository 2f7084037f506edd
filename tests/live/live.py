"""Helpers of the live-chain tests: feeds written for the tests, the CLI as a process, waits."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from bot.emulator import Chat, ChatMessage, Emulator, User
from tests.delivery.harness import BotProcess, Tap, start_bot, wait_until


@dataclass(frozen=True)
class Story:
    """One feed item, in our own words."""

    title: str
    body: str
    link: str
    published: datetime


def rss(stories: Sequence[Story], *, title: str = "Regional news") -> bytes:
    """An RSS 2.0 document of `stories`, newest first as feeds list them."""
    items = "".join(
        "<item>"
        f"<title>{escape(story.title)}</title><link>{escape(story.link)}</link>"
        f"<description>{escape(story.body)}</description>"
        f"<pubDate>{format_datetime(story.published)}</pubDate>"
        "</item>"
        for story in stories
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://news.example.kz/</link>"
        f"{items}</channel></rss>"
    ).encode()


@dataclass(frozen=True)
class CliRun:
    returncode: int
    stdout: str
    stderr: str


async def run_cli(env: dict[str, str], workdir: Path, *args: str) -> CliRun:
    """`newsdigest ARGS` as an operator runs it beside the bot, in `workdir`."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        *args,
        cwd=workdir,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    return CliRun(process.returncode or 0, out.decode(), err.decode())


async def eventually(
    predicate: Callable[[], bool],
    timeout: float,  # noqa: ASYNC109
    what: str,
    logs: Callable[[], str] = str,
) -> float:
    """Seconds until `predicate()` held (checked every 50 ms); fails with `logs()`."""
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not within {timeout}s: {what}\n{logs()[-6000:]}")
        await asyncio.sleep(0.05)
    return time.monotonic() - started


async def ask(
    emulator: Emulator,
    user: User,
    chat: Chat,
    text: str,
    timeout: float = 30,  # noqa: ASYNC109
) -> ChatMessage:
    """Send `text` as `user` and return the bot's next message in `chat`."""
    before = len(emulator.messages_to(chat))
    emulator.send_message(user, chat, text)
    messages = await emulator.wait_for_messages(chat, before + 1, timeout)
    return messages[before]


@asynccontextmanager
async def running_bot(
    emulator: Emulator, tap: Tap, env: dict[str, str], workdir: Path
) -> AsyncIterator[BotProcess]:
    """`newsdigest run` in `workdir`, polling Telegram before the body runs; stopped with
    SIGTERM afterwards, which it must survive with exit code 0."""
    bot = await start_bot(env, workdir, "bot")
    try:
        await wait_until(emulator, lambda: tap.count("getUpdates") > 0, 60, "polls", [bot])
        yield bot
    finally:
        bot.terminate()
        assert await bot.wait_exit(30) == 0
        await bot.stop()


def item_number(digest: str, title: str) -> int:
    """The number the digest gives the item titled `title` ("2. Title")."""
    for line in digest.splitlines():
        head, _, rest = line.partition(". ")
        if head.isdigit() and rest.startswith(title):
            return int(head)
    raise AssertionError(f"no item titled {title!r} in:\n{digest}")
