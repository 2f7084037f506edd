"""Two `newsdigest run` on one database: the second stands by (no polling, no sending) and
takes over within LEASE_SECONDS when the first is killed. On SQLite and on PostgreSQL."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest

from bot.emulator import Emulator
from tests.delivery.harness import (
    BotProcess,
    Tap,
    bot_env,
    lease_renewals,
    prepare_url,
    private_chats,
    set_due_at,
    start_bot,
    utc_now,
    wait_all_sent,
    wait_until,
)
from tests.delivery.ledger_checks import audit_at

CHATS = 60
LEASE_SECONDS = 5.0  # renewed every 1.7 s: room for a busy machine, a quick takeover still
SETTINGS = {"digest_tick_seconds": 1, "lease_seconds": LEASE_SECONDS}
# Start-up of a process that already runs: getMe, menus, deleteWebhook, then getUpdates.
TAKEOVER_SLACK = 2.0
pytestmark = pytest.mark.slow


async def test_second_instance_stands_by_then_takes_over(
    emulator: Emulator, own_database_url: str, tmp_path: Path
) -> None:
    chat_ids = private_chats(emulator, CHATS)
    url = own_database_url
    tomorrow = utc_now() + timedelta(days=1)
    await prepare_url(url, tmp_path, chat_ids, now=utc_now(), due_at=tomorrow)
    bots: list[BotProcess] = []
    try:
        async with Tap(emulator, "first") as first_tap, Tap(emulator, "second") as second_tap:
            first = await start_bot(bot_env(url, first_tap, **SETTINGS), tmp_path, "first")
            bots.append(first)
            await wait_until(
                emulator, lambda: first_tap.count("getUpdates") > 0, 30, "first polls", bots
            )
            second = await start_bot(bot_env(url, second_tap, **SETTINGS), tmp_path, "second")
            bots.append(second)
            await wait_until(
                emulator, lambda: "stand" in second.log().lower(), 30, "second stands by", bots
            )
            # Watch stand-by over several renewals of the first's lease.
            await lease_renewals(url, 3, LEASE_SECONDS * 3)
            assert second_tap.count("getUpdates") == 0
            assert second_tap.count("sendMessage") == 0
            assert ("getUpdates", 409) not in first_tap.statuses + second_tap.statuses
            assert "Conflict" not in first.log() + second.log()

            first.kill()
            killed = time.monotonic()
            # Its pending long poll is answered 409 once the second polls: nobody reads it.
            first_statuses = list(first_tap.statuses)
            await first.wait_exit(10)
            await set_due_at(url, chat_ids, utc_now() - timedelta(minutes=1))
            await wait_until(
                emulator,
                lambda: second_tap.count("getUpdates") > 0,
                LEASE_SECONDS + TAKEOVER_SLACK + 5,
                "second polls after the first died",
                bots,
            )
            polled_at = second_tap.first("getUpdates")
            assert polled_at is not None
            takeover = polled_at - killed
            print(f"takeover after SIGKILL: {takeover:.2f} s (LEASE_SECONDS={LEASE_SECONDS})")
            assert takeover <= LEASE_SECONDS + TAKEOVER_SLACK, f"took over after {takeover:.1f}s"
            await wait_all_sent(url, CHATS, 30, "the second instance delivered every digest")
            assert first_tap.count("sendMessage") == 0
            # (On stop, PTB's last getUpdates supersedes its own cancelled poll: a 409 then.)
            assert ("getUpdates", 409) not in first_statuses + second_tap.statuses
            second.terminate()
            assert await second.wait_exit(15) == 0, second.log()
        result = await audit_at(emulator, url, chat_ids)
        assert (result.missing, result.repeated, result.extra) == ([], {}, {})
    finally:
        for bot in bots:
            await bot.stop()
