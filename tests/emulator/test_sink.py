"""Benchmark mode: sendMessage answers a valid Message with the least work, limits intact."""

from __future__ import annotations

import pytest
import telegram
from telegram.error import BadRequest, Forbidden, RetryAfter

from bot.emulator import Emulator, FloodLimits

from .conftest import FakeClock


async def test_a_sunk_message_is_a_valid_message_and_is_not_kept(clock: FakeClock) -> None:
    async with (
        Emulator(clock=clock, flood=FloodLimits(private_burst=2), sink=True) as emu,
        telegram.Bot(emu.token, base_url=emu.base_url) as bot,
    ):
        dana = emu.create_user("Dana")
        chat = emu.create_private_chat(dana)
        first = await bot.send_message(chat.id, "<b>Digest</b> <i>unparsed</i>", parse_mode="HTML")
        second = await bot.send_message(chat.id, "two")
        # As sent: the sink does not parse HTML.
        assert (first.chat.id, first.text) == (chat.id, "<b>Digest</b> <i>unparsed</i>")
        assert first.from_user is not None and first.from_user.is_bot
        assert second.message_id == first.message_id + 1
        assert emu.state.messages == {}
        with pytest.raises(RetryAfter):  # the chat's flood limit still holds
            await bot.send_message(chat.id, "three")
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.send_message(424242, "nobody")
        with pytest.raises(BadRequest, match="Message text is empty"):
            await bot.send_message(chat.id, "")
        clock.advance(60)
        emu.block_bot(dana)
        with pytest.raises(Forbidden):
            await bot.send_message(chat.id, "blocked")
