"""The gauges from a real database: states as operators read them, in three queries whatever
the number of chats and sources."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry
from sqlalchemy import event

from bot.metrics.gauges import refresh_gauges
from bot.metrics.registry import Metrics
from storage.engine import Database
from storage.models import Chat, Delivery, Source

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def _chat(chat_id: int, *, paused: bool = False, blocked: bool = False) -> Chat:
    return Chat(id=chat_id, paused=paused, blocked=blocked, created_at=NOW, updated_at=NOW)


def _source(number: int, *, enabled: bool = True, failures: int = 0) -> Source:
    return Source(
        kind="rss",
        url=f"https://news{number}.example.kz/rss",
        enabled=enabled,
        consecutive_failures=failures,
        created_at=NOW,
    )


def _delivery(chat_id: int, status: str, minute: int) -> Delivery:
    return Delivery(
        chat_id=chat_id, due_at=NOW.replace(minute=minute), status=status, claimed_at=NOW
    )


async def _fill(database: Database, chats: int) -> None:
    async with database.write() as session:
        session.add_all(_chat(number) for number in range(1, chats + 1))
        session.add_all(
            [
                _chat(-1, paused=True),
                _chat(-2, blocked=True),
                _chat(-3, paused=True, blocked=True),  # blocked wins: each chat counts once
                _source(1),
                _source(2, failures=2),
                _source(3, enabled=False, failures=5),
                _source(4, enabled=False),
            ]
        )
        await session.flush()
        session.add_all(
            [
                _delivery(1, "claimed", 0),
                _delivery(2, "claimed", 0),
                _delivery(1, "sent", 1),
                _delivery(3, "failed", 0),
                _delivery(4, "empty", 0),
            ]
        )


@contextmanager
def _statements(database: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(*args: object) -> None:
        seen.append(str(args[2]))

    target = database.engine.sync_engine
    event.listen(target, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(target, "before_cursor_execute", record)


def _value(metrics: Metrics, name: str, **labels: str) -> float | None:
    return metrics.registry.get_sample_value(name, labels)


async def test_gauges_count_chats_sources_and_digests_due(database: Database) -> None:
    await _fill(database, chats=40)
    metrics = Metrics(CollectorRegistry())
    with _statements(database) as seen:
        await refresh_gauges(database, metrics)
    reads = [sql for sql in seen if sql.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 3, reads  # not one per chat or source
    assert _value(metrics, "newsdigest_chats", state="active") == 40
    assert _value(metrics, "newsdigest_chats", state="paused") == 1
    assert _value(metrics, "newsdigest_chats", state="blocked") == 2
    assert _value(metrics, "newsdigest_sources", state="healthy") == 1
    assert _value(metrics, "newsdigest_sources", state="failing") == 1
    assert _value(metrics, "newsdigest_sources", state="paused") == 2
    assert _value(metrics, "newsdigest_digests_due") == 2


async def test_a_state_that_empties_goes_back_to_zero(database: Database) -> None:
    await _fill(database, chats=1)
    metrics = Metrics(CollectorRegistry())
    await refresh_gauges(database, metrics)
    async with database.write() as session:
        for chat_id in (-1, -2, -3):
            chat = await session.get(Chat, chat_id)
            assert chat is not None
            chat.paused = chat.blocked = False
    await refresh_gauges(database, metrics)
    assert _value(metrics, "newsdigest_chats", state="active") == 4
    assert _value(metrics, "newsdigest_chats", state="paused") == 0
    assert _value(metrics, "newsdigest_chats", state="blocked") == 0


async def test_an_empty_database_reports_zeros_for_every_state(database: Database) -> None:
    metrics = Metrics(CollectorRegistry())
    await refresh_gauges(database, metrics)
    for state in ("active", "paused", "blocked"):
        assert _value(metrics, "newsdigest_chats", state=state) == 0
    for state in ("healthy", "failing", "paused"):
        assert _value(metrics, "newsdigest_sources", state=state) == 0
    assert _value(metrics, "newsdigest_digests_due") == 0
