"""`LOG_FORMAT=json`: one JSON object a line, for log collectors, with secrets still redacted.

Real processes write the lines: a command that fails with the token inside its traceback, and
`newsdigest run` against the Bot API emulator. Every line of their stderr must parse.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.emulator import Emulator, FloodLimits
from bot.logs import JsonLines, RedactSecrets, context_fields
from tests.delivery.harness import Tap, bot_env
from tests.live.live import eventually, running_bot
from tests.test_cli import run_cli

TOKEN = "123456:AAH-json-logs-secret-token"
FIELDS = ("time", "level", "logger", "message")


def _records(text: str) -> list[dict[str, Any]]:
    """Every line of `text` as a JSON object with the four fields every record has."""
    lines = text.strip().splitlines()
    assert lines, "nothing was logged"
    records = [json.loads(line) for line in lines]
    for record in records:
        assert isinstance(record, dict)
        assert all(isinstance(record[field], str) for field in FIELDS), record
        assert datetime.fromisoformat(record["time"]).utcoffset() == UTC.utcoffset(None)
    return records


def test_a_failing_command_logs_json_lines_with_the_token_redacted(tmp_path: Path) -> None:
    """A database stamped with a revision named like the token: the traceback quotes it."""
    database = tmp_path / "from-the-future.db"
    with closing(sqlite3.connect(database)) as connection, connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(64) PRIMARY KEY)")
        connection.execute("INSERT INTO alembic_version VALUES (?)", (TOKEN,))
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "LOG_FORMAT": "json",
    }
    result = run_cli("db", "upgrade", env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert TOKEN not in result.stdout + result.stderr
    failed, final = _records(result.stderr)
    assert (failed["level"], failed["message"]) == ("ERROR", "command failed")
    assert failed["exc_info"].startswith("Traceback (most recent call last):")
    assert "[REDACTED]" in failed["exc_info"]
    assert final["message"].startswith("newsdigest: error: unexpected CommandError: ")


def test_a_usage_error_is_a_json_line_too(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/x.db", "LOG_FORMAT": "json"}
    result = run_cli("db", "backup", str(tmp_path / "missing-db-copy.db"), env=env)
    assert result.returncode == 2
    (record,) = _records(result.stderr)
    assert record["level"] == "ERROR"
    assert record["message"].startswith("newsdigest: error: no SQLite database at ")


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    async with Emulator(flood=FloodLimits(enabled=False)) as emu:
        yield emu


@pytest.mark.slow
async def test_the_running_bot_logs_json_lines(emulator: Emulator, tmp_path: Path) -> None:
    async with Tap(emulator, "bot") as tap:
        env = bot_env(f"sqlite+aiosqlite:///{tmp_path}/bot.db", tap, log_format="json")
        async with running_bot(emulator, tap, env, tmp_path) as bot:
            await eventually(lambda: "polled=" in bot.log(), 30, "a source tick", bot.log)
        text = bot.log()
    assert emulator.token not in text
    records = _records(text)
    assert {record["level"] for record in records} <= {"DEBUG", "INFO", "WARNING", "ERROR"}
    tick = next(record for record in records if record["message"].startswith("source tick"))
    assert int(tick["polled"]) >= 1, "the key=value context of the message became fields"
    assert {"new", "failed"} <= set(tick)


# -- the formatter itself ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "fields"),
    [
        ("housekeeping removed=3 cutoff=2025-01-14", {"removed": "3", "cutoff": "2025-01-14"}),
        (
            "poll failed source=7 reason='fetch.http_503'",
            {"source": "7", "reason": "fetch.http_503"},
        ),
        (
            'sent chat=-100123 title="Қарағанды news"',
            {"chat": "-100123", "title": "Қарағанды news"},
        ),
        ("fetched url=https://a.kz/x?page=2&id=5", {"url": "https://a.kz/x?page=2&id=5"}),
        ("a sentence with no context = at all", {}),
        ("tick (due=4, sent=3)", {"due": "4", "sent": "3"}),
    ],
)
def test_the_context_of_a_message_becomes_fields(message: str, fields: dict[str, str]) -> None:
    assert context_fields(message) == fields


def _format(record: logging.LogRecord, secrets: list[str]) -> dict[str, Any]:
    assert RedactSecrets(secrets).filter(record)
    entry = json.loads(JsonLines().format(record))
    assert isinstance(entry, dict)
    return entry


def test_a_record_becomes_one_redacted_object() -> None:
    record = logging.LogRecord(
        "bot.delivery", logging.WARNING, __file__, 1, "retry level=%s url=%s", ("x", TOKEN), None
    )
    try:
        raise RuntimeError(f"failed at /bot{TOKEN}/sendMessage\nsecond line")
    except RuntimeError as error:
        record.exc_info = (type(error), error, error.__traceback__)
    entry = _format(record, [TOKEN])
    assert TOKEN not in json.dumps(entry)
    assert entry["level"] == "WARNING" and entry["logger"] == "bot.delivery"
    assert entry["message"] == "retry level=x url=[REDACTED]"
    assert entry["level_"] == "x", "context never overwrites a record's own field"
    assert entry["url"] == "[REDACTED]"
    assert "RuntimeError: failed at /bot[REDACTED]/sendMessage" in entry["exc_info"]


def test_without_secrets_the_traceback_is_still_a_field() -> None:
    try:
        raise ValueError("plain")
    except ValueError as error:
        exc_info = (type(error), error, error.__traceback__)
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", None, exc_info)
    entry = _format(record, [])
    assert entry["message"] == "boom"
    assert entry["exc_info"].rstrip().endswith("ValueError: plain")
