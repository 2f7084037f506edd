"""Every command that cannot work says so in one redacted line naming the setting to check.

The real `newsdigest` runs in a subprocess: against the Bot API emulator with a token it
refuses, against addresses where nothing listens, and against databases it cannot use. What
must never appear on stdout or stderr is the bot token, the database password, or a traceback
that did not go through the redacting log handler.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from telegram.error import InvalidToken, NetworkError, TimedOut

from bot.commands.common import UsageError
from bot.commands.failures import Failure, database_secrets, explain
from bot.emulator import Emulator
from bot.logs import redact
from bot.settings import SettingsError
from storage.engine import create_database
from tests.ports import free_port
from tests.test_cli import run_cli

ROOT = Path(__file__).parents[1]
SEEDS = ROOT / "seeds"
TOKEN = "123456:AAH-rejected-secret-token-value"
PASSWORD = "S3cretPass"
MAX_LINES = 3
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")

BROKEN_DATABASES = {
    "refused port": (f"postgresql+asyncpg://user:{PASSWORD}@127.0.0.1:1/db", "connection refused"),
    "unknown host": (
        f"postgresql+asyncpg://user:{PASSWORD}@no-such-host.invalid/db",
        "unknown host",
    ),
    "missing driver": (f"mysql+nosuchdriver://u:{PASSWORD}@h/db", "driver is not installed"),
    "not a url": ("not a url", "not a database URL"),
    "missing directory": (
        "sqlite+aiosqlite:////nonexistent/dir/x.db",
        "cannot open the SQLite database file",
    ),
}
DATABASE_COMMANDS = {
    "run": ("run",),
    "ingest": ("ingest", str(SEEDS)),
    "digest": ("digest",),
    "sources list": ("sources", "list"),
    "sources poll": ("sources", "poll"),
    "db upgrade": ("db", "upgrade"),
}
OFFLINE_COMMANDS = {name: args for name, args in DATABASE_COMMANDS.items() if name != "run"}


def assert_one_line_naming(
    result: subprocess.CompletedProcess[str], *phrases: str, secrets: tuple[str, ...]
) -> str:
    """The command failed with at most a few stderr lines, the last one explaining why."""
    output = result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert result.returncode != 0, output
    assert 1 <= len(lines) <= MAX_LINES, result.stderr
    assert "Traceback" not in result.stderr
    for secret in secrets:
        assert secret not in output
    assert lines[-1].startswith("newsdigest: error: ")
    for phrase in phrases:
        assert phrase in lines[-1]
    return lines[-1]


@pytest.mark.parametrize("database", BROKEN_DATABASES)
@pytest.mark.parametrize("command", DATABASE_COMMANDS)
def test_a_database_that_cannot_be_used_is_one_line(
    command: str, database: str, tmp_path: Path
) -> None:
    url, kind = BROKEN_DATABASES[database]
    env = {
        "DATABASE_URL": url,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{free_port()}/bot",
    }
    result = run_cli(*DATABASE_COMMANDS[command], env=env, cwd=tmp_path)
    line = assert_one_line_naming(result, "DATABASE_URL", kind, secrets=(TOKEN, PASSWORD))
    assert result.returncode == 1, line


@pytest.mark.parametrize("case", ["another bot's token", "a revoked token", "a wrong base path"])
async def test_run_with_a_token_telegram_rejects_is_one_line(case: str, tmp_path: Path) -> None:
    async with Emulator() as emulator:
        token, base_url = "654321:AAnot-this-bots-secret-token", emulator.base_url
        if case == "a revoked token":
            token = emulator.token
            emulator.rotate_token()
        elif case == "a wrong base path":
            token, base_url = emulator.token, base_url.replace("/bot", "/wrong/bot")
        env = {
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/bot.db",
            "TELEGRAM_BOT_TOKEN": token,
            "TELEGRAM_API_BASE_URL": base_url,
        }
        result = await asyncio.to_thread(run_cli, "run", env=env, cwd=tmp_path)
    assert_one_line_naming(
        result,
        "Telegram refused the bot token",
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_API_BASE_URL",
        secrets=(token,),
    )


def test_run_with_nothing_at_the_base_url_is_one_line(tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/bot.db",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{free_port()}/bot",
    }
    result = run_cli("run", env=env, cwd=tmp_path)
    assert_one_line_naming(result, "TELEGRAM_API_BASE_URL", secrets=(TOKEN,))


@pytest.mark.parametrize("command", OFFLINE_COMMANDS)
def test_commands_that_do_not_talk_to_telegram_ignore_a_rejected_token(
    command: str, tmp_path: Path
) -> None:
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.db",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{free_port()}/bot",
        "LOG_LEVEL": "DEBUG",
    }
    result = run_cli(*OFFLINE_COMMANDS[command], env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert TOKEN not in result.stdout + result.stderr


@pytest.mark.parametrize("command", ["demo", "playground"])
def test_demo_and_playground_need_neither_token_nor_database(command: str, tmp_path: Path) -> None:
    """Both run on a throw-away SQLite file, the playground against its own emulator."""
    env = {"DATABASE_URL": BROKEN_DATABASES["refused port"][0], "TELEGRAM_BOT_TOKEN": TOKEN}
    result = run_cli(command, env=env, cwd=tmp_path)  # the playground starts the bot, then EOF
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for secret in (TOKEN, PASSWORD):
        assert secret not in result.stdout + result.stderr


def test_a_malformed_setting_names_the_variable_never_the_value(tmp_path: Path) -> None:
    env = {"ADMIN_USER_IDS": "12,abc-secret", "TELEGRAM_BOT_TOKEN": TOKEN}
    result = run_cli("db", "upgrade", env=env, cwd=tmp_path)
    line = assert_one_line_naming(result, "ADMIN_USER_IDS", secrets=("abc-secret", TOKEN))
    assert result.returncode == 2, line


def test_a_usage_error_line_is_redacted_too(tmp_path: Path) -> None:
    labels = tmp_path / f"labels-{TOKEN}.json"
    labels.write_text("{not json", encoding="utf-8")
    env = {"TELEGRAM_BOT_TOKEN": TOKEN}
    result = run_cli("eval", "--labels", labels.name, "corpus.txt", env=env, cwd=tmp_path)
    line = assert_one_line_naming(result, "[REDACTED]", "not valid JSON", secrets=(TOKEN,))
    assert result.returncode == 2, line


def test_an_unexpected_failure_logs_its_traceback_through_redaction(tmp_path: Path) -> None:
    """A database stamped with a revision this version does not know (one named like the
    token, to show the log redacts it): a bug-class failure, so the traceback is logged."""
    database = tmp_path / "from-the-future.db"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(64) PRIMARY KEY)")
        connection.execute("INSERT INTO alembic_version VALUES (?)", (TOKEN,))
    connection.close()
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{database}", "TELEGRAM_BOT_TOKEN": TOKEN}
    result = run_cli("db", "upgrade", env=env, cwd=tmp_path)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1
    assert TOKEN not in result.stdout + result.stderr
    assert " ERROR " in lines[0] and "command failed" in lines[0], "the log, not a raw print"
    assert lines[1] == "Traceback (most recent call last):"
    assert lines[-1].startswith("newsdigest: error: unexpected CommandError: ")
    assert "[REDACTED]" in lines[-1]


# -- the classification itself, table-driven ---------------------------------------------


async def _connection_error(url: str) -> BaseException:
    """What the real engine raises when asked for a connection to `url`."""
    try:
        database = create_database(url)
        try:
            async with database.engine.connect():
                pass
        finally:
            await database.dispose()
    except Exception as error:
        return error
    raise AssertionError(f"{url} connected")


def _raised(make: Callable[[], object]) -> BaseException:
    try:
        make()
    except Exception as error:
        return error
    raise AssertionError("nothing raised")


def _chained() -> BaseException:
    try:
        try:
            raise InvalidToken(f"The token `{TOKEN}` was rejected by the server.")
        except InvalidToken as error:
            raise RuntimeError("startup failed") from error
    except RuntimeError as error:
        return error


EXAMPLES = [
    (UsageError("--now expects an ISO date-time"), "--now expects", 2),
    (SettingsError("setting LOG_LEVEL is invalid: expected one of"), "LOG_LEVEL", 2),
    (InvalidToken(f"The token `{TOKEN}` was rejected by the server."), "TELEGRAM_BOT_TOKEN", 1),
    (NetworkError("httpx.ConnectError: All connection attempts failed"), "TELEGRAM_API_BASE", 1),
    (TimedOut(), "TELEGRAM_API_BASE_URL", 1),
    (_chained(), "Telegram refused the bot token", 1),
    (ExceptionGroup("ticks", [ValueError("x"), InvalidToken("Unauthorized")]), "TOKEN", 1),
]
UNEXPECTED = [
    RuntimeError("boom"),
    ConnectionRefusedError(111, "Connection refused"),  # not raised by a database driver
    _raised(lambda: int("abc")),  # a ValueError, but not from parsing a database URL
    KeyError("chat"),
]


@pytest.mark.parametrize(("error", "phrase", "status"), EXAMPLES)
def test_known_failures(error: BaseException, phrase: str, status: int) -> None:
    failure = explain(error)
    assert phrase in failure.message
    assert (failure.status, failure.unexpected) == (status, False)
    assert TOKEN not in failure.message


@pytest.mark.parametrize("error", UNEXPECTED, ids=lambda error: type(error).__name__)
def test_everything_else_is_unexpected(error: BaseException) -> None:
    failure = explain(error, database_url="sqlite+aiosqlite:///x.db")
    assert failure == Failure(failure.message, status=1, unexpected=True)
    assert failure.message.startswith(f"unexpected {type(error).__name__}")


@pytest.mark.parametrize(
    ("url", "phrase"),
    [
        *BROKEN_DATABASES.values(),
        (f"postgresql+asyncpg://u:{PASSWORD}@127.0.0.1:notaport/db", "not a database URL"),
        (f"postgresql://u:{PASSWORD}@h/db", "driver is not installed"),
        ("sqlite:///x.db", "driver is not async"),
        ("sqlite+aiosqlite:////etc/passwd", "file is not a database"),
        (f"postgresql+asyncpg://u:{PASSWORD}@127.0.0.1:1/db?nosuch=1", "option in the URL"),
    ],
)
async def test_database_failures(url: str, phrase: str) -> None:
    failure = explain(await _connection_error(url), database_url=url)
    assert phrase in failure.message
    assert "DATABASE_URL" in failure.message
    assert PASSWORD not in failure.message
    assert (failure.status, failure.unexpected) == (1, False)


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="TEST_POSTGRES_URL is not set")
async def test_a_role_postgresql_does_not_know() -> None:
    url = make_url(POSTGRES_URL).set(username="newsdigest_no_such_role", password=PASSWORD)
    shown = url.render_as_string(hide_password=False)
    failure = explain(await _connection_error(shown), database_url=shown)
    assert failure.message.startswith("the database server refused the connection: ")
    assert "DATABASE_URL" in failure.message and PASSWORD not in failure.message


@pytest.mark.parametrize(
    ("url", "secrets"),
    [
        (f"postgresql+asyncpg://u:{PASSWORD}@h/db", {PASSWORD}),
        ("postgresql+asyncpg://u:S3cret%40Pass@h/db", {"S3cret%40Pass", "S3cret@Pass"}),
        ("postgresql+asyncpg://u@h/db?password=Q1&sslmode=require", {"Q1"}),
        (f"not a url but ://u:{PASSWORD}@somewhere", {PASSWORD}),
        ("sqlite+aiosqlite:///./newsdigest.db", set()),
    ],
)
def test_database_secrets(url: str, secrets: set[str]) -> None:
    assert set(database_secrets(url)) == secrets


def test_redact_hides_the_longest_secret_whole() -> None:
    text = f"url postgresql://u:{PASSWORD}@h token {TOKEN}"
    assert redact(text, ["", PASSWORD[:4], PASSWORD, TOKEN]) == (
        "url postgresql://u:[REDACTED]@h token [REDACTED]"
    )
