"""Flood limits with a fake clock: no test sleeps."""

from __future__ import annotations

import datetime as dt

import pytest
import telegram
from telegram.error import RetryAfter

from bot.emulator import Chat, Emulator, FloodLimits
from bot.emulator.flood import FloodControl

from .conftest import FakeClock


def test_private_chat_allows_a_burst_then_one_per_second(clock: FakeClock) -> None:
    flood = FloodControl(FloodLimits(private_burst=3), clock)
    for _ in range(3):
        assert flood.retry_after(1, private=True) is None
        flood.record(1, private=True)
    assert flood.retry_after(1, private=True) == 1
    assert flood.retry_after(2, private=True) is None  # other chats are not affected
    clock.advance(1.0)
    assert flood.retry_after(1, private=True) is None


def test_group_limit_is_twenty_per_minute(clock: FakeClock) -> None:
    flood = FloodControl(FloodLimits(global_per_second=1000), clock)
    for _ in range(20):
        assert flood.retry_after(-5, private=False) is None
        flood.record(-5, private=False)
        clock.advance(1.0)
    assert flood.retry_after(-5, private=False) == 40
    clock.advance(40.0)
    assert flood.retry_after(-5, private=False) is None


def test_overall_limit_and_paid_broadcast(clock: FakeClock) -> None:
    flood = FloodControl(FloodLimits(), clock)
    for chat_id in range(30):
        flood.record(chat_id, private=True)
    assert flood.retry_after(99, private=True) == 1
    assert flood.retry_after(99, private=True, paid=True) is None
    clock.advance(1.0)
    assert flood.retry_after(99, private=True) is None


def test_switched_off(clock: FakeClock) -> None:
    flood = FloodControl(FloodLimits(enabled=False), clock)
    for _ in range(100):
        flood.record(1, private=True)
    assert flood.retry_after(1, private=True) is None


async def test_retry_after_reaches_ptb(
    emu: Emulator,
    bot: telegram.Bot,
    dm: Chat,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # else PTB 22 warns when building RetryAfter
    emu.set_flood_limits(FloodLimits(private_burst=2))
    await bot.send_message(dm.id, "1")
    await bot.send_message(dm.id, "2")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(dm.id, "3")
    assert caught.value.retry_after == dt.timedelta(seconds=1)
    assert emu.retry_after_sent == 1
    assert len(emu.messages_to(dm)) == 2
    clock.advance(1.0)
    await bot.send_message(dm.id, "3")
    assert [m.text for m in emu.messages_to(dm)] == ["1", "2", "3"]
