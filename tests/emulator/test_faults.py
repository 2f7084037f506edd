"""Injected failures reach PTB as the errors our delivery code must handle."""

from __future__ import annotations

import datetime as dt

import pytest
import telegram
from telegram.error import NetworkError, RetryAfter, TimedOut

from bot.emulator import Chat, Emulator, User


async def test_bad_gateway_then_recovery(emu: Emulator, bot: telegram.Bot, dm: Chat) -> None:
    emu.inject_fault("http_error", method="sendMessage", times=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(dm.id, "x")
    await bot.send_message(dm.id, "x")
    assert [m.text for m in emu.messages_to(dm)] == ["x"]


async def test_injected_retry_after(
    emu: Emulator, bot: telegram.Bot, dm: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    emu.inject_fault("retry_after", chat=dm, retry_after=17)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(dm.id, "x")
    assert caught.value.retry_after == dt.timedelta(seconds=17)
    assert emu.state.retry_after_sent == {dm.id: 1}


async def test_fault_for_one_chat_only(
    emu: Emulator, bot: telegram.Bot, dm: Chat, alice: User
) -> None:
    other = emu.create_private_chat(emu.create_user("Bob"))
    emu.inject_fault("http_error", chat=other, status=500, description="Internal Server Error")
    await bot.send_message(dm.id, "fine")
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(other.id, "fails")


@pytest.mark.parametrize("deliver", [True, False])
async def test_timeout_with_and_without_delivery(
    emu: Emulator, bot: telegram.Bot, dm: Chat, deliver: bool
) -> None:
    emu.inject_fault("delay", method="sendMessage", delay=5.0, deliver=deliver)
    with pytest.raises(TimedOut):
        await bot.send_message(dm.id, "maybe", read_timeout=0.05)
    assert len(emu.messages_to(dm)) == (1 if deliver else 0)


@pytest.mark.parametrize("deliver", [True, False])
async def test_dropped_connection(
    emu: Emulator, bot: telegram.Bot, dm: Chat, deliver: bool
) -> None:
    emu.inject_fault("drop", method="sendmessage", deliver=deliver)
    with pytest.raises(NetworkError):
        await bot.send_message(dm.id, "lost")
    assert len(emu.messages_to(dm)) == (1 if deliver else 0)
    await bot.send_message(dm.id, "next")  # the client reconnects


async def test_bad_token_and_unknown_method(emu: Emulator, dm: Chat) -> None:
    stranger = telegram.Bot("123:wrong", base_url=emu.base_url)
    with pytest.raises(telegram.error.InvalidToken, match="rejected by the server"):
        await stranger.initialize()
    await stranger.shutdown()
    async with telegram.Bot(emu.token, base_url=emu.base_url) as bot:
        with pytest.raises(telegram.error.EndPointNotFound):
            await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": dm.id})
        old = emu.token
        emu.rotate_token()
        assert emu.token != old
        with pytest.raises(telegram.error.InvalidToken):
            await bot.send_message(dm.id, "x")
