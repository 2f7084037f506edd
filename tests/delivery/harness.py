"""Process harness: an in-process emulator, `newsdigest run` as real subprocesses, a prepared
database (a SQLite file or a PostgreSQL database, by URL), and waits on conditions (emulator
change signal or short database polls).

The bot must be its own process so SIGKILL and SIGTERM are real; the emulator stays in the
test's event loop so the test can read everything it received. Each bot process talks to the
emulator through its own `Tap` (a second HTTP endpoint over the same emulator state), so the
test knows which process made which call.
"""

from __future__ import annotations

import asyncio
import math
import os
import re
import signal
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import text, update
from sqlmodel import col

from bot.commands.common import load_tagger
from bot.emulator import Emulator
from bot.emulator.control import ControlApi
from bot.emulator.gateway import Gateway
from bot.emulator.http import HttpServer, Request, Response
from bot.ingest.files import ingest_files
from bot.ingest.seed_files import bundled_seed_dir
from bot.settings import Settings
from storage.engine import create_database
from storage.migrate import upgrade_schema
from storage.models import Chat, Subscription

ZONE = ZoneInfo("Asia/Almaty")
SEED_DATE = re.compile(r" \d{2}\.\d{2}\.\d{4}$", re.MULTILINE)
# Where a database is read from outside the bot: a SQLite file's path, or any database URL.
Where = Path | str
# Most bundled articles are about these regions, so each chat's digest has items.
REGIONS = ("turkestan", "karaganda")


class Tap:
    """A Bot API endpoint for one bot process: records its calls, forwards to the emulator."""

    def __init__(self, emulator: Emulator, label: str) -> None:
        self.emulator, self.label = emulator, label
        self.calls: list[tuple[float, str]] = []
        self.statuses: list[tuple[str, int]] = []
        self.answered: Counter[tuple[str, int]] = Counter()
        self.answered_at: dict[str, float] = {}
        state = emulator.state
        self._gateway = Gateway(state, lambda: emulator.token, ControlApi(emulator).handle)
        self._server = HttpServer(self._handle, "127.0.0.1", 0)
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def count(self, method: str) -> int:
        return sum(1 for _, name in self.calls if name == method)

    def first(self, method: str) -> float | None:
        return next((at for at, name in self.calls if name == method), None)

    async def _handle(self, request: Request) -> Response | None:
        method = request.path.rstrip("/").rsplit("/", 1)[-1]
        self.calls.append((time.monotonic(), method))
        self.emulator.state.signal.notify()
        response = await self._gateway.handle(request)
        if response is not None:
            self.statuses.append((method, response.status))
            self.answered[method, response.status] += 1
            self.answered_at[method] = time.monotonic()
        return response

    async def __aenter__(self) -> Tap:
        self.port = await self._server.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._server.stop()


@dataclass
class BotProcess:
    """One `newsdigest run` subprocess and its log file."""

    process: asyncio.subprocess.Process
    log_path: Path
    started: float = field(default_factory=time.monotonic)

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.process.send_signal(signal.SIGTERM)

    async def wait_exit(self, timeout: float) -> int:  # noqa: ASYNC109
        """The exit code; TimeoutError (and the log) if the process is still running."""
        try:
            return await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            raise TimeoutError(f"bot still running after {timeout}s:\n{self.log()}") from None

    async def stop(self) -> None:
        """Make sure the process is gone (test clean-up)."""
        if self.process.returncode is None:
            self.kill()
            await self.process.wait()


def bot_env(database_url: str, tap: Tap, **settings: object) -> dict[str, str]:
    """The environment of a bot process: ours, none of the developer's newsdigest settings."""
    ours = {name.upper() for name in Settings.model_fields}
    env = {key: value for key, value in os.environ.items() if key.upper() not in ours}
    env.update(
        TELEGRAM_BOT_TOKEN=tap.emulator.token,
        TELEGRAM_API_BASE_URL=tap.base_url,
        DATABASE_URL=database_url,
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
        SOURCE_PACK="sample",  # the shipped pack names real sites; tests have no internet
    )
    env.update({name.upper(): str(value) for name, value in settings.items()})
    return env


async def start_bot(env: dict[str, str], workdir: Path, name: str, *args: str) -> BotProcess:
    """Start `newsdigest run [args]` in `workdir` (no stray `.env`), logging to
    `workdir/<name>.log`."""
    log_path = workdir / f"{name}.log"
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "run",
            *args,
            cwd=workdir,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
    return BotProcess(process, log_path)


async def wait_until(
    emulator: Emulator,
    predicate: Callable[[], bool],
    timeout: float,  # noqa: ASYNC109
    what: str,
    bots: Iterable[BotProcess] = (),
) -> float:
    """Seconds until predicate() held (woken by each emulator change); fails with the logs."""
    started = time.monotonic()
    try:
        await emulator.wait_for(predicate, timeout)
    except TimeoutError:
        logs = "\n".join(f"--- {bot.log_path.name}\n{bot.log()[-4000:]}" for bot in bots)
        raise AssertionError(f"not within {timeout}s: {what}\n{logs}") from None
    return time.monotonic() - started


async def poll_database(
    where: Where,
    query: str,
    predicate: Callable[[list[tuple[object, ...]]], bool],
    timeout: float,  # noqa: ASYNC109
    what: str,
) -> list[tuple[object, ...]]:
    """Re-run a read query every 0.2 s until its rows satisfy predicate (the bot's own state)."""
    deadline = time.monotonic() + timeout
    while True:
        rows = await fetch_rows(where, query)
        if predicate(rows):
            return rows
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout}s: {what}; last rows: {rows[:5]}")
        await asyncio.sleep(0.2)


async def fetch_rows(where: Where, query: str) -> list[tuple[object, ...]]:
    """A read query's rows from a SQLite file (read in a thread) or a database URL."""
    if isinstance(where, Path):
        return await asyncio.to_thread(read_rows, where, query)
    return await query_rows(where, query)


async def wait_all_sent(where: Where, count: int, timeout: float, what: str) -> None:  # noqa: ASYNC109
    """Wait until the ledger holds `count` deliveries, every one of them sent."""
    await poll_database(
        where,
        "SELECT status, count(*) FROM delivery GROUP BY status",
        lambda rows: dict(rows) == {"sent": count},  # type: ignore[arg-type]
        timeout,
        what,
    )


async def lease_renewals(where: Where, count: int, timeout: float) -> None:  # noqa: ASYNC109
    """Wait until the sender lease's expiry has moved `count` times (its holder renews it)."""
    seen: set[object] = set()

    def moved(rows: list[tuple[object, ...]]) -> bool:
        seen.update(rows)
        return len(seen) > count

    await poll_database(where, "SELECT expires_at FROM lease", moved, timeout, "lease renewals")


def read_rows(
    path: Path, query: str, parameters: tuple[object, ...] = ()
) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path, timeout=30)
    try:
        return list(connection.execute(query, parameters))
    finally:
        connection.close()


def dated_seed_dir(workdir: Path, day: date) -> Path:
    """The bundled seed files with every article dated `day`, so digests of today find them."""
    folder = workdir / "dated-seeds"  # not "seeds": the bot imports a package of that name
    folder.mkdir(exist_ok=True)
    for source in sorted(bundled_seed_dir().glob("*.txt")):
        text = SEED_DATE.sub(day.strftime(" %d.%m.%Y"), source.read_text(encoding="utf-8"))
        (folder / source.name).write_text(text, encoding="utf-8")
    return folder


def private_chats(emulator: Emulator, count: int) -> list[int]:
    """`count` users who opened a private chat with the bot (ids equal the user ids)."""
    ids = []
    for number in range(count):
        user = emulator.create_user(f"Reader{number}", language_code="en")
        ids.append(emulator.create_private_chat(user).id)
    return ids


async def prepare_database(
    path: Path, chat_ids: list[int], *, now: datetime, due_at: datetime | None = None
) -> str:
    """Migrate, ingest the seeds dated today, and add each chat with one region, due at
    `due_at` (default: a minute ago), in a SQLite file. Returns the database URL."""
    url = f"sqlite+aiosqlite:///{path}"
    await prepare_url(url, path.parent, chat_ids, now=now, due_at=due_at)
    return url


async def prepare_url(
    url: str, workdir: Path, chat_ids: list[int], *, now: datetime, due_at: datetime | None = None
) -> None:
    """`prepare_database` on any database URL (an empty PostgreSQL database, say)."""
    database = create_database(url)
    try:
        await upgrade_schema(database)
        await ingest_files(
            database,
            [dated_seed_dir(workdir, now.astimezone(ZONE).date())],
            tagger=load_tagger(),
            zone=ZONE,
            now=now,
            default_language="en",
        )
        due = due_at or now - timedelta(minutes=1)
        async with database.write() as session:
            for chat_id in chat_ids:
                session.add(
                    Chat(id=chat_id, next_due_at=due, created_at=now, updated_at=now, title="")
                )
            await session.flush()
            for number, chat_id in enumerate(chat_ids):
                region = REGIONS[number % len(REGIONS)]
                session.add(
                    Subscription(chat_id=chat_id, kind="region", value=region, created_at=now)
                )
    finally:
        await database.dispose()


async def kill_and_restart(
    emulator: Emulator,
    taps: tuple[Tap, Tap],
    url: str,
    workdir: Path,
    bots: list[BotProcess],
    *,
    settings: Mapping[str, object],
    kill_after: int,
    total: int,
    what: str,
) -> int:
    """Start a bot, SIGKILL it once `kill_after` messages were sent (before all `total` went
    out), start a second one on the same database; the messages sent at the crash. Each bot
    talks through its tap; both go into `bots` (the caller stops them)."""
    first_tap, second_tap = taps
    first = await start_bot(bot_env(url, first_tap, **settings), workdir, "first")
    bots.append(first)
    await wait_until(
        emulator,
        lambda: bot_message_count(emulator) >= kill_after,
        60,
        f"{kill_after} {what} sent before the crash",
        bots,
    )
    first.kill()
    assert await first.wait_exit(10) == -9
    at_crash = bot_message_count(emulator)
    assert at_crash < total, f"the crash came too late: every {what} was already out"
    bots.append(await start_bot(bot_env(url, second_tap, **settings), workdir, "second"))
    return at_crash


async def add_exclusions(url: str, phrases: dict[int, str]) -> None:
    """Give each chat one excluded phrase (chat id -> phrase): distinct interests, for
    benchmarks that compose as many digests as a real audience has."""
    database = create_database(url)
    try:
        async with database.write() as session:
            for chat_id, phrase in phrases.items():
                session.add(
                    Subscription(
                        chat_id=chat_id, kind="exclude", value=phrase, created_at=utc_now()
                    )
                )
    finally:
        await database.dispose()


async def query_rows(url: str, query: str) -> list[tuple[object, ...]]:
    """A read query's rows on any database URL (the bot's own state, read from outside)."""
    database = create_database(url)
    try:
        async with database.read() as session:
            return [tuple(row) for row in await session.execute(text(query))]
    finally:
        await database.dispose()


def sqlite_instant(instant: datetime) -> str:
    """An instant as SQLAlchemy stores it on SQLite (naive UTC with microseconds)."""
    return instant.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def set_due(path: Path, chat_ids: list[int], due_at: datetime) -> None:
    """Make chats due at `due_at`, from outside the bot (as an operator's command would)."""
    connection = sqlite3.connect(path, timeout=30)
    try:
        with connection:
            connection.executemany(
                "UPDATE chat SET next_due_at = ? WHERE id = ?",
                [(sqlite_instant(due_at), chat_id) for chat_id in chat_ids],
            )
    finally:
        connection.close()


async def set_due_at(url: str, chat_ids: list[int], due_at: datetime) -> None:
    """`set_due` on any database URL."""
    database = create_database(url)
    try:
        async with database.write() as session:
            await session.execute(
                update(Chat).where(col(Chat.id).in_(chat_ids)).values(next_due_at=due_at)
            )
    finally:
        await database.dispose()


def bot_texts(emulator: Emulator) -> dict[int, list[tuple[int, str]]]:
    """(message id, text) of every bot message, by chat, in order (one pass over the state)."""
    found: dict[int, list[tuple[int, str]]] = {}
    for (chat_id, message_id), message in sorted(emulator.state.messages.items()):
        if message.from_bot and not message.deleted:
            found.setdefault(chat_id, []).append((message_id, message.text or ""))
    return found


def bot_message_count(emulator: Emulator) -> int:
    return sum(1 for message in emulator.state.messages.values() if message.from_bot)


def next_minute(instant: datetime) -> datetime:
    """The first whole minute at or after `instant` (due instants are whole minutes)."""
    stamp = math.ceil(instant.timestamp() / 60) * 60
    return datetime.fromtimestamp(stamp, UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)
