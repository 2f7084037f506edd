"""The health verdict at an instant, and the database probe against a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.metrics.health import DatabaseProbe, Heartbeats, health_report, probe_url
from storage.engine import create_database
from storage.migrate import upgrade_schema

START = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def _sender(
    *, tick_ago: float | None, poll_ago: float | None, since_ago: float = 600
) -> Heartbeats:
    beats = Heartbeats()
    beats.become_sender(START - timedelta(seconds=since_ago))
    if tick_ago is not None:
        beats.ticked(START - timedelta(seconds=tick_ago))
    if poll_ago is not None:
        beats.polled(START - timedelta(seconds=poll_ago))
    return beats


def _report(beats: Heartbeats, *, database_ok: bool = True) -> tuple[int, dict[str, object]]:
    report = health_report(
        beats, now=START, database_ok=database_ok, tick_seconds=60, poll_seconds=30
    )
    return report.status, report.body


def test_a_standby_is_healthy_without_ticks() -> None:
    assert _report(Heartbeats()) == (
        200,
        {
            "database": "ok",
            "role": "standby",
            "last_tick_age_seconds": None,
            "last_poll_age_seconds": None,
        },
    )


def test_a_sender_with_recent_ticks_is_healthy() -> None:
    status, body = _report(_sender(tick_ago=12.5, poll_ago=3))
    assert status == 200
    assert body["role"] == "sender"
    assert body["last_tick_age_seconds"] == 12.5
    assert body["last_poll_age_seconds"] == 3.0
    assert "stalled" not in body


@pytest.mark.parametrize(
    ("tick_ago", "poll_ago", "stalled"),
    [
        (180.5, 3, ["digest_tick"]),  # three digest intervals (60 s) and a bit
        (10, 90.5, ["source_tick"]),  # three source intervals (30 s) and a bit
        (200, 100, ["digest_tick", "source_tick"]),
    ],
)
def test_a_tick_older_than_three_intervals_has_stalled(
    tick_ago: float, poll_ago: float, stalled: list[str]
) -> None:
    status, body = _report(_sender(tick_ago=tick_ago, poll_ago=poll_ago))
    assert status == 503
    assert body["stalled"] == stalled
    assert body["database"] == "ok"


def test_exactly_three_intervals_is_not_yet_stalled() -> None:
    assert _report(_sender(tick_ago=180, poll_ago=90))[0] == 200


def test_a_sender_that_never_ticked_is_judged_from_when_it_started() -> None:
    assert _report(_sender(tick_ago=None, poll_ago=None, since_ago=5))[0] == 200
    status, body = _report(_sender(tick_ago=None, poll_ago=None, since_ago=200))
    assert status == 503
    assert body["stalled"] == ["digest_tick", "source_tick"]
    assert body["last_tick_age_seconds"] is None


def test_a_database_that_does_not_answer_is_unhealthy_on_either_role() -> None:
    for beats in (Heartbeats(), _sender(tick_ago=1, poll_ago=1)):
        status, body = _report(beats, database_ok=False)
        assert status == 503
        assert body["database"] == "unavailable"


async def _migrated(path: Path) -> None:
    database = create_database(f"sqlite+aiosqlite:///{path}")
    try:
        await upgrade_schema(database)
    finally:
        await database.dispose()


async def test_the_probe_answers_for_a_migrated_file_and_not_once_it_is_gone(
    tmp_path: Path,
) -> None:
    path = tmp_path / "odd name #1%.db"
    await _migrated(path)
    probe = DatabaseProbe(f"sqlite+aiosqlite:///{path}")
    try:
        assert await probe.answers()
        aside = path.rename(tmp_path / "aside.db")
        path.mkdir()  # a path SQLite cannot open, even as root
        assert not await probe.answers()
        path.rmdir()
        assert not await probe.answers()
        assert not path.exists()  # the check never creates an empty database
        aside.rename(path)
        assert await probe.answers()
    finally:
        await probe.close()


async def test_the_probe_needs_our_schema_not_just_a_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    empty = create_database(f"sqlite+aiosqlite:///{path}")
    async with empty.engine.connect() as connection:
        await connection.exec_driver_sql("CREATE TABLE other (x INTEGER)")
    await empty.dispose()
    probe = DatabaseProbe(f"sqlite+aiosqlite:///{path}")
    try:
        assert not await probe.answers()
    finally:
        await probe.close()


def test_the_probe_url_opens_sqlite_files_without_creating_them() -> None:
    assert probe_url("sqlite+aiosqlite:///./bot.db") == (
        "sqlite+aiosqlite:///file:./bot.db?mode=rw&uri=true"
    )
    assert probe_url("sqlite+aiosqlite:////var/lib/a b.db") == (
        "sqlite+aiosqlite:///file:/var/lib/a%2520b.db?mode=rw&uri=true"
    )
    postgres = "postgresql+asyncpg://bot:secret@db:5432/newsdigest"
    assert probe_url(postgres) == postgres
    assert probe_url("sqlite+aiosqlite://") == "sqlite+aiosqlite://"


def test_an_instance_sharing_the_sending_is_judged_by_its_digest_ticks_only() -> None:
    """On PostgreSQL a non-leader sends its share: a stalled digest tick is unhealthy, while
    the source tick it never runs is not judged."""
    beats = Heartbeats()
    beats.become_sharing(START - timedelta(seconds=400))
    beats.ticked(START - timedelta(seconds=10))
    status, body = _report(beats)
    assert (status, body["role"]) == (200, "sharing")
    beats.ticked(START - timedelta(seconds=200))
    status, body = _report(beats)
    assert (status, body["stalled"]) == (503, ["digest_tick"])
    beats.become_sender(START)  # it leads: the source tick is judged too, from now
    assert _report(beats)[1]["role"] == "sender"
    beats.become_standby()  # the lead lost: back to sharing, not to standing by
    assert _report(beats)[1]["role"] == "sharing"
