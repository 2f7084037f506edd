"""SIGTERM while delivering: the process drains and exits 0 within seconds, every message it
sent is in the ledger, and the lease is released so the next instance starts at once. On SQLite
and on PostgreSQL."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import make_url

from bot.emulator import Emulator
from tests.delivery.harness import (
    BotProcess,
    Tap,
    bot_env,
    bot_message_count,
    prepare_url,
    private_chats,
    query_rows,
    start_bot,
    utc_now,
    wait_all_sent,
    wait_until,
)
from tests.delivery.ledger_checks import audit_at, ledger_counts_at

CHATS = 300
STOP_AFTER = 60
DRAIN_SECONDS = 5.0
# Long enough that an instance waiting for the lease to expire would fail the test. On
# PostgreSQL a new instance sends its share only two thirds of a lease after its first heartbeat
# (bot/delivery/instances.py): a shorter lease there keeps each instance's wait short.
LEASE_SECONDS = {"sqlite": 45, "postgresql": 18}
SETTINGS = {
    "digest_tick_seconds": 1,
    "rate_overall_per_second": 50,
    "paid_broadcast": True,  # above 30/s (the emulator\'s flood limits are off here)
}
pytestmark = pytest.mark.slow


async def test_sigterm_drains_records_and_releases(
    emulator: Emulator, own_database_url: str, tmp_path: Path
) -> None:
    chat_ids = private_chats(emulator, CHATS)
    url = own_database_url
    lease = LEASE_SECONDS[make_url(url).get_backend_name()]
    settings = {**SETTINGS, "lease_seconds": lease}
    await prepare_url(url, tmp_path, chat_ids, now=utc_now())
    bots: list[BotProcess] = []
    try:
        async with Tap(emulator, "first") as first_tap, Tap(emulator, "second") as second_tap:
            first = await start_bot(bot_env(url, first_tap, **settings), tmp_path, "first")
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
            drained = await audit_at(emulator, url, chat_ids)
            assert drained.unrecorded == {}
            assert drained.repeated == {}
            assert await query_rows(url, "SELECT * FROM lease") == []

            second = await start_bot(bot_env(url, second_tap, **settings), tmp_path, "second")
            bots.append(second)
            started = time.monotonic()
            await wait_until(
                emulator, lambda: second_tap.count("getUpdates") > 0, 20, "second polls", bots
            )
            restart = time.monotonic() - started
            print(f"next instance polling after {restart:.2f} s (lease {lease} s)")
            assert restart < lease / 3
            assert "stand" not in second.log().lower()
            await wait_all_sent(url, CHATS, 40, "the second instance finished the digests")
            second.terminate()
            assert await second.wait_exit(DRAIN_SECONDS) == 0, second.log()
        result = await audit_at(emulator, url, chat_ids)
        assert (result.missing, result.repeated, result.extra) == ([], {}, {})
        assert await ledger_counts_at(url) == {"sent": CHATS}
    finally:
        for bot in bots:
            await bot.stop()
