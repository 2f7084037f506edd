"""`newsdigest run` killed with SIGKILL while sending urgent alerts, then started again: every
reader gets the alert, and only once, except the sends in flight at the crash (at most
SEND_CONCURRENCY, the documented ambiguous case the digests have too)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from bot.emulator import Emulator
from storage.engine import create_database
from storage.migrate import upgrade_schema
from storage.models import Source
from tests.delivery.harness import (
    BotProcess,
    Tap,
    bot_texts,
    kill_and_restart,
    poll_database,
    private_chats,
    read_rows,
    utc_now,
)
from tests.delivery_unit.alert_world import OUTAGE_RU, add_article, add_chat

CHATS = 400
KILL_AFTER = 80
CONCURRENCY = 4
SETTINGS = {
    "alert_tick_seconds": 1,
    "send_concurrency": CONCURRENCY,
    "rate_overall_per_second": 100,
    "paid_broadcast": True,  # above 30/s (the emulator\'s flood limits are off here)
    "lease_seconds": 3,
}
pytestmark = pytest.mark.slow


async def _prepare(path: Path, chat_ids: list[int]) -> str:
    """Readers of Karaganda with alerts on, one urgent article just in, no digest due; a
    disabled source keeps the sample pack (and its articles) out."""
    url = f"sqlite+aiosqlite:///{path}"
    database = create_database(url)
    try:
        await upgrade_schema(database)
        async with database.write() as session:
            session.add(
                Source(
                    kind="rss", url="http://127.0.0.1:9/none", enabled=False, created_at=utc_now()
                )
            )
        await add_article(database, OUTAGE_RU, language="ru", ingested_at=utc_now())
        for chat_id in chat_ids:
            await add_chat(database, chat_id, language="en")
    finally:
        await database.dispose()
    return url


def _alert_rows(path: Path) -> dict[int, tuple[str, list[int]]]:
    rows = read_rows(path, "SELECT chat_id, status, message_ids FROM delivery WHERE kind = 'alert'")
    return {int(str(c)): (str(s), json.loads(str(m or "[]"))) for c, s, m in rows}


async def test_a_killed_sender_resumes_alerts_without_losing_or_repeating(
    emulator: Emulator, tmp_path: Path
) -> None:
    chat_ids = private_chats(emulator, CHATS)
    database = tmp_path / "bot.db"
    url = await _prepare(database, chat_ids)
    bots: list[BotProcess] = []
    try:
        async with Tap(emulator, "first") as first_tap, Tap(emulator, "second") as second_tap:
            at_crash = await kill_and_restart(
                emulator,
                (first_tap, second_tap),
                url,
                tmp_path,
                bots,
                settings=SETTINGS,
                kill_after=KILL_AFTER,
                total=CHATS,
                what="alert",
            )
            first, second = bots
            await poll_database(
                database,
                "SELECT status, count(*) FROM delivery WHERE kind = 'alert' GROUP BY status",
                lambda rows: dict(rows) == {"sent": CHATS},  # type: ignore[arg-type]
                60,
                "every alert marked sent after the restart",
            )
            second.terminate()
            assert await second.wait_exit(15) == 0, second.log()
        received = bot_texts(emulator)
        ledger = _alert_rows(database)
        assert sorted(ledger) == sorted(chat_ids)
        counts = Counter({chat_id: len(received.get(chat_id, [])) for chat_id in chat_ids})
        assert all(count >= 1 for count in counts.values()), "an alert was lost"
        repeated = sum(count - 1 for count in counts.values())
        print(f"killed at {at_crash} alerts; repeated after restart: {repeated}")
        assert repeated <= CONCURRENCY
        for chat_id in chat_ids:
            status, message_ids = ledger[chat_id]
            texts = dict(received[chat_id])
            assert status == "sent" and len(message_ids) == 1 and message_ids[0] in texts
            assert OUTAGE_RU[0] in texts[message_ids[0]]
        assert emulator.token not in first.log() + second.log()
    finally:
        for bot in bots:
            await bot.stop()
