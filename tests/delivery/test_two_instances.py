"""Two `newsdigest run` on one PostgreSQL database deliver 500 digests together under Telegram's
flood limits: each exactly once (but for the parts in flight at a SIGKILL, the documented
ambiguous case), none before its due minute, no 429, and one instance killed halfway loses
nothing: the other finishes its digests once their row leases pass."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.emulator import Emulator, FloodLimits
from tests.delivery.checks import SCHEDULED_ROWS, audit_rows, ledger_rows
from tests.delivery.harness import (
    BotProcess,
    Tap,
    bot_env,
    bot_texts,
    next_minute,
    prepare_url,
    private_chats,
    query_rows,
    start_bot,
    utc_now,
    wait_until,
)
from tests.postgres import own_database

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")
CHATS = 500
CONCURRENCY = 8
SETTINGS = {
    "lease_seconds": 3,  # a killed instance's rows are free 3 s after its last renewal
    "digest_tick_seconds": 1,  # the survivor looks for them every second
    "send_concurrency": CONCURRENCY,
    "rate_overall_per_second": 25,  # Telegram's free 30/s with a margin, shared by both
}
START_SECONDS = 25  # both instances start and count each other before the digests fall due
pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.skipif(not POSTGRES_URL, reason="TEST_POSTGRES_URL is not set"),
]


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A database of this test's own on TEST_POSTGRES_URL's server, dropped afterwards."""
    async with own_database(POSTGRES_URL, "nd_two_instances") as url:
        yield url


async def test_two_instances_share_500_digests_and_survive_a_sigkill(
    postgres_url: str, tmp_path: Path
) -> None:
    async with Emulator(flood=FloodLimits()) as emulator:  # Telegram's limits, 429s counted
        chat_ids = private_chats(emulator, CHATS)
        due = next_minute(utc_now() + timedelta(seconds=START_SECONDS))
        await prepare_url(postgres_url, tmp_path, chat_ids, now=utc_now(), due_at=due)
        bots: list[BotProcess] = []
        try:
            async with Tap(emulator, "first") as first_tap, Tap(emulator, "second") as second_tap:
                first_env = bot_env(postgres_url, first_tap, **SETTINGS)
                second_env = bot_env(postgres_url, second_tap, **SETTINGS)
                first = await start_bot(first_env, tmp_path, "first")
                second = await start_bot(second_env, tmp_path, "second")
                bots += [first, second]

                def reached() -> int:
                    return len(bot_texts(emulator))

                await wait_until(
                    emulator, lambda: reached() >= CHATS // 2, 120, "half the chats reached", bots
                )
                first.kill()
                assert await first.wait_exit(10) == -9
                at_kill = reached()
                killed_at = time.monotonic()
                assert at_kill < CHATS, "the kill came too late: every digest was already out"
                await wait_until(
                    emulator, lambda: reached() == CHATS, 90, "every chat reached", bots
                )
                finished = await _wait_all_sent(postgres_url, bots)
                print(
                    f"all sent {time.time() - due.timestamp():.1f} s after the due minute; killed"
                    f" with {at_kill} chats reached, the rest {finished - killed_at:.1f} s later;"
                    f" sendMessage first={first_tap.count('sendMessage')}"
                    f" second={second_tap.count('sendMessage')}; peak per second first="
                    f"{peak_per_second(first_tap)} second={peak_per_second(second_tap)} both="
                    f"{peak_per_second(first_tap, second_tap)}; 429s {emulator.retry_after_sent}"
                )
                second.terminate()
                assert await second.wait_exit(15) == 0, second.log()
            rows = ledger_rows(await query_rows(postgres_url, SCHEDULED_ROWS))
            result = audit_rows(emulator, rows, chat_ids)
            print(f"parts repeated (in flight at the SIGKILL): {result.repeated}")
            assert result.missing == []
            assert result.extra == {}
            assert result.unrecorded.keys() <= result.repeated.keys()
            assert sum(result.repeated.values()) <= CONCURRENCY, result.repeated
            assert len(rows) == CHATS and {row.status for row in rows} == {"sent"}
            sent = [m for m in emulator.state.messages.values() if m.from_bot]
            assert min(m.date for m in sent) >= due.timestamp(), "none before its due minute"
            assert emulator.retry_after_sent == 0, "the shared rate kept under Telegram's"
            assert first_tap.count("sendMessage") > 0 and second_tap.count("sendMessage") > 0
            assert emulator.token not in first.log() + second.log()
        finally:
            for bot in bots:
                await bot.stop()


def peak_per_second(*taps: Tap) -> int:
    """The most sendMessage calls the taps received in any one-second window."""
    times = sorted(at for tap in taps for at, method in tap.calls if method == "sendMessage")
    start, peak = 0, 0
    for end, at in enumerate(times):
        while times[start] <= at - 1:
            start += 1
        peak = max(peak, end - start + 1)
    return peak


async def _wait_all_sent(url: str, bots: list[BotProcess]) -> float:
    """When every ledger row was marked sent (the last part's record follows its send)."""
    deadline = time.monotonic() + 30
    while True:
        statuses = await query_rows(url, "SELECT status, count(*) FROM delivery GROUP BY status")
        if dict(statuses) == {"sent": CHATS}:  # type: ignore[arg-type]
            return time.monotonic()
        if time.monotonic() > deadline:
            logs = "\n".join(f"--- {bot.log_path.name}\n{bot.log()[-3000:]}" for bot in bots)
            raise AssertionError(f"ledger not all sent: {statuses}\n{logs}")
        await asyncio.sleep(0.2)
