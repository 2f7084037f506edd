"""`newsdigest run` killed with SIGKILL mid-delivery, then started again: nothing is lost and
nothing is sent twice, except the parts that were in flight at the crash (at most
SEND_CONCURRENCY, the documented ambiguous case)."""

from __future__ import annotations

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
    start_bot,
    utc_now,
    wait_all_sent,
    wait_until,
)

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
    emulator: Emulator, tmp_path: Path
) -> None:
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
                lambda: bot_message_count(emulator) >= KILL_AFTER,
                40,
                f"{KILL_AFTER} digests sent before the crash",
                bots,
            )
            first.kill()
            assert await first.wait_exit(10) == -9
            at_crash = bot_message_count(emulator)
            assert at_crash < CHATS, "the crash came too late: every digest was already out"

            second = await start_bot(bot_env(url, second_tap, **SETTINGS), tmp_path, "second")
            bots.append(second)
            await wait_all_sent(database, CHATS, 45, "every digest marked sent after the restart")
            second.terminate()
            assert await second.wait_exit(15) == 0, second.log()
        result = audit(emulator, database, chat_ids)
        print(f"killed at {at_crash} digests; parts repeated after restart: {result.repeated}")
        assert result.missing == []
        assert result.extra == {}
        assert sum(result.repeated.values()) <= CONCURRENCY, result.repeated
        assert ledger_counts(database) == {"sent": CHATS}
        assert emulator.token not in first.log() + second.log()
    finally:
        for bot in bots:
            await bot.stop()
