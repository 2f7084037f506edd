"""SIGTERM while delivering: the process drains and exits 0 within seconds, every message it
sent is in the ledger, and the lease is released so the next instance starts at once."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.emulator import Emulator
from tests.delivery.checks import audit, ledger_counts
from tests.delivery.harness import (
    BotProcess,
    Tap,
    bot_env,
    bot_message_count,
    prepare_database,
    private_chats,
    read_rows,
    start_bot,
    utc_now,
    wait_all_sent,
    wait_until,
)

CHATS = 300
STOP_AFTER = 60
DRAIN_SECONDS = 5.0
# Long enough that an instance waiting for the lease to expire would fail the test.
LEASE_SECONDS = 45
SETTINGS = {
    "digest_tick_seconds": 1,
    "rate_overall_per_second": 50,
    "paid_broadcast": True,  # above 30/s (the emulator\'s flood limits are off here)
    "lease_seconds": LEASE_SECONDS,
}
pytestmark = pytest.mark.slow


async def test_sigterm_drains_records_and_releases(emulator: Emulator, tmp_path: Path) -> None:
    chat_ids = private_chats(emulator, CHATS)
    database = tmp_path / "bot.db"
    url = await prepare_database(database, chat_ids, now=utc_now())
    bots: list[BotProcess] = []
    try:
        async with Tap(emulator, "first") as first_tap, Tap(emulator, "second") as second_tap:
            first = await start_bot(bot_env(url, first_tap, **SETTINGS), tmp_path, "first")
            bots.append(first)
            await wait_until(
                emulator,
                lambda: bot_message_count(emulator) >= STOP_AFTER,
                40,
                "digests being sent",
                bots,
            )
            first.terminate()
            stopped = time.monotonic()
            assert await first.wait_exit(DRAIN_SECONDS) == 0, first.log()
            drain = time.monotonic() - stopped
            print(f"SIGTERM to exit: {drain:.2f} s, {bot_message_count(emulator)} digests out")
            assert drain < DRAIN_SECONDS
            assert bot_message_count(emulator) < CHATS, "SIGTERM came after the last digest"
            # Every message that went out is in the ledger: nothing will be sent twice.
            drained = audit(emulator, database, chat_ids)
            assert drained.unrecorded == {}
            assert drained.repeated == {}
            assert read_rows(database, "SELECT * FROM lease") == []

            second = await start_bot(bot_env(url, second_tap, **SETTINGS), tmp_path, "second")
            bots.append(second)
            started = time.monotonic()
            await wait_until(
                emulator, lambda: second_tap.count("getUpdates") > 0, 20, "second polls", bots
            )
            restart = time.monotonic() - started
            print(f"next instance polling after {restart:.2f} s (lease {LEASE_SECONDS} s)")
            assert restart < LEASE_SECONDS / 3
            assert "stand" not in second.log().lower()
            await wait_all_sent(database, CHATS, 40, "the second instance finished the digests")
            second.terminate()
            assert await second.wait_exit(DRAIN_SECONDS) == 0, second.log()
        result = audit(emulator, database, chat_ids)
        assert (result.missing, result.repeated, result.extra) == ([], {}, {})
        assert ledger_counts(database) == {"sent": CHATS}
    finally:
        for bot in bots:
            await bot.stop()
