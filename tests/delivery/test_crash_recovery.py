"""`newsdigest run` killed with SIGKILL mid-delivery, then started again: nothing is lost and
nothing is sent twice, except the parts that were in flight at the crash (at most
SEND_CONCURRENCY, the documented ambiguous case). On SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.emulator import Emulator
from tests.delivery.harness import (
    BotProcess,
    Tap,
    kill_and_restart,
    prepare_url,
    private_chats,
    utc_now,
    wait_all_sent,
)
from tests.delivery.ledger_checks import audit_at, ledger_counts_at

CHATS = 500
KILL_AFTER = 100
CONCURRENCY = 4
SETTINGS = {
    "digest_tick_seconds": 1,
    "send_concurrency": CONCURRENCY,
    "rate_overall_per_second": 100,
    "paid_broadcast": True,  # above 30/s (the emulator\'s flood limits are off here)
    "lease_seconds": 3,
}
pytestmark = pytest.mark.slow


async def test_a_killed_sender_resumes_without_losing_or_repeating(
    emulator: Emulator, own_database_url: str, tmp_path: Path
) -> None:
    chat_ids = private_chats(emulator, CHATS)
    url = own_database_url
    await prepare_url(url, tmp_path, chat_ids, now=utc_now())
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
                what="digest",
            )
            first, second = bots
            await wait_all_sent(url, CHATS, 45, "every digest marked sent after the restart")
            second.terminate()
            assert await second.wait_exit(15) == 0, second.log()
        result = await audit_at(emulator, url, chat_ids)
        print(f"killed at {at_crash} digests; parts repeated after restart: {result.repeated}")
        assert result.missing == []
        assert result.extra == {}
        assert sum(result.repeated.values()) <= CONCURRENCY, result.repeated
        assert await ledger_counts_at(url) == {"sent": CHATS}
        assert emulator.token not in first.log() + second.log()
    finally:
        for bot in bots:
            await bot.stop()
