"""The bot's Bot API transport (aiohttp under python-telegram-bot) against the local emulator:
answers, and each kind of failure read as the sender must read it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import NetworkError, RetryAfter, TimedOut

from bot.chat.telegram_http import AiohttpRequest
from bot.delivery.outcomes import Outcome, judge
from bot.emulator import Chat, Emulator, FloodLimits
from tests.ports import free_port


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    async with Emulator(flood=FloodLimits(enabled=False)) as emu:
        yield emu


def _bot(base_url: str, token: str, **timeouts: float) -> Bot:
    return Bot(token, base_url=base_url, request=AiohttpRequest(connections=4, **timeouts))


def _reader(emulator: Emulator) -> Chat:
    return emulator.create_private_chat(emulator.create_user("Reader", language_code="en"))


async def test_a_message_is_sent_and_answered(emulator: Emulator) -> None:
    chat = _reader(emulator)
    async with _bot(emulator.base_url, emulator.token) as bot:
        message = await bot.send_message(chat.id, "<b>Караганда</b> · news", parse_mode="HTML")
    assert message.chat.id == chat.id
    [received] = emulator.messages_to(chat)
    assert received.text == "Караганда · news"


async def test_a_keyboard_a_flag_and_cyrillic_text_arrive_whole(emulator: Emulator) -> None:
    """The body is a JSON object of PTB's parameter strings (the Bot API reads a JSON body
    as it reads a form): a keyboard, a flag and Cyrillic text arrive as sent."""
    chat = _reader(emulator)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Ещё", callback_data="more:1")]])
    async with _bot(emulator.base_url, emulator.token) as bot:
        await bot.send_message(
            chat.id, "Қарағанды · Ёлки", reply_markup=keyboard, disable_notification=True
        )
    [received] = emulator.messages_to(chat)
    assert received.text == "Қарағанды · Ёлки"
    assert received.disable_notification is True
    assert received.reply_markup == {
        "inline_keyboard": [[{"text": "Ещё", "callback_data": "more:1"}]]
    }


async def test_a_dropped_connection_may_have_delivered(emulator: Emulator) -> None:
    chat = _reader(emulator)
    emulator.inject_fault("drop", method="sendMessage", chat=chat, deliver=True)
    async with _bot(emulator.base_url, emulator.token) as bot:
        with pytest.raises(NetworkError) as raised:
            await bot.send_message(chat.id, "once")
    assert judge(raised.value).outcome is Outcome.AMBIGUOUS
    assert len(emulator.messages_to(chat)) == 1, "it was delivered: a retry would repeat it"


async def test_a_slow_answer_times_out(emulator: Emulator) -> None:
    chat = _reader(emulator)
    emulator.inject_fault("delay", method="sendMessage", chat=chat, delay=1.0)
    async with _bot(emulator.base_url, emulator.token) as bot:
        with pytest.raises(TimedOut) as raised:
            await bot.send_message(chat.id, "late", read_timeout=0.2)
    assert judge(raised.value).outcome is Outcome.AMBIGUOUS


async def test_a_refused_connection_sent_nothing() -> None:
    port = free_port()
    with pytest.raises(NetworkError) as raised:
        async with _bot(f"http://127.0.0.1:{port}/bot", "1:x") as bot:  # getMe first
            await bot.send_message(1, "nowhere")
    assert "ClientConnectorError" in raised.value.message
    assert judge(raised.value).outcome is Outcome.RETRY


async def test_flood_control_comes_back_as_ptbs_retry_after(emulator: Emulator) -> None:
    chat = _reader(emulator)
    emulator.inject_fault("retry_after", method="sendMessage", chat=chat, retry_after=3)
    async with _bot(emulator.base_url, emulator.token) as bot:
        with pytest.raises(RetryAfter) as raised:
            await bot.send_message(chat.id, "too fast")
    assert judge(raised.value).wait_seconds == 3


async def test_no_free_connection_in_time_sent_nothing(emulator: Emulator) -> None:
    """The pool's one connection is busy with a slow call: the next call cannot start in time,
    so it was not sent (a retry, not a possible repeat), and its error hides the token."""
    chat = _reader(emulator)
    emulator.inject_fault("delay", method="sendMessage", chat=chat, delay=1.0, deliver=True)
    request = AiohttpRequest(connections=1)
    async with Bot(emulator.token, base_url=emulator.base_url, request=request) as bot:
        slow = asyncio.create_task(bot.send_message(chat.id, "slow"))
        await asyncio.sleep(0.2)  # the slow call holds the connection
        with pytest.raises(NetworkError) as raised:
            await bot.send_message(chat.id, "next", pool_timeout=0.1, connect_timeout=0.1)
        await slow
    assert judge(raised.value).outcome is Outcome.RETRY
    assert emulator.token not in raised.value.message
    assert [m.text for m in emulator.messages_to(chat)] == ["slow"]


async def test_the_environments_proxy_is_used_and_no_proxy_honoured(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HTTP_PROXY names a proxy nobody runs: calls go there and fail; NO_PROXY lets them by."""
    port = free_port()
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with pytest.raises(NetworkError):
        async with _bot(emulator.base_url, emulator.token):
            pass
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    async with _bot(emulator.base_url, emulator.token) as bot:
        assert (await bot.get_me()).is_bot
