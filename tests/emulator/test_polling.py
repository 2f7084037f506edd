"""getUpdates long polling, offsets and allowed_updates; a real Application round trip."""

from __future__ import annotations

import asyncio

import pytest
import telegram
from telegram.error import Conflict
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.emulator import Chat, Emulator, User


async def test_long_poll_returns_as_soon_as_an_update_arrives(
    emu: Emulator, bot: telegram.Bot, alice: User, dm: Chat
) -> None:
    loop = asyncio.get_running_loop()
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await emu.wait_for(lambda: emu.state.polling_generation == 1, timeout=2)
    started = loop.time()
    emu.send_message(alice, dm, "hello")
    updates = await asyncio.wait_for(poll, 2)
    assert loop.time() - started < 1
    assert updates[0].message is not None and updates[0].message.text == "hello"


async def test_offset_confirms_and_limit_caps(
    emu: Emulator, bot: telegram.Bot, alice: User, dm: Chat
) -> None:
    for text in ("one", "two", "three"):
        emu.send_message(alice, dm, text)
    first = await bot.get_updates(limit=2)
    assert [u.message.text for u in first if u.message] == ["one", "two"]
    rest = await bot.get_updates(offset=first[-1].update_id + 1)
    assert [u.message.text for u in rest if u.message] == ["three"]
    assert await bot.get_updates(offset=rest[-1].update_id + 1, timeout=0) == ()
    assert emu.pending_updates() == []


async def test_negative_offset_keeps_the_last_updates(
    emu: Emulator, bot: telegram.Bot, alice: User, dm: Chat
) -> None:
    for text in ("one", "two", "three"):
        emu.send_message(alice, dm, text)
    assert [u.message.text for u in await bot.get_updates(offset=-1) if u.message] == ["three"]


async def test_allowed_updates_filter_new_updates(
    emu: Emulator, bot: telegram.Bot, alice: User
) -> None:
    group = emu.create_supergroup("G", creator=alice)
    await bot.get_updates(offset=-1)
    await bot.get_updates(offset=emu.pending_updates()[-1]["update_id"] + 1)
    emu.set_member_status(group, emu.create_user("Bob"), "member")
    assert emu.pending_updates() == []  # chat_member is opt-in, as on Telegram
    await bot.get_updates(allowed_updates=["message", "chat_member"])
    emu.set_member_status(group, emu.create_user("Carol"), "member")
    assert [next(iter(set(u) - {"update_id"})) for u in emu.pending_updates()] == ["chat_member"]


async def test_second_poller_ends_the_first_with_conflict(emu: Emulator, bot: telegram.Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=30))
    await emu.wait_for(lambda: emu.state.polling_generation == 1, timeout=2)
    async with telegram.Bot(emu.token, base_url=emu.base_url) as other_instance:
        second = asyncio.create_task(other_instance.get_updates(timeout=30))
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await asyncio.wait_for(first, 2)
        second.cancel()
        with pytest.raises(asyncio.CancelledError):
            await second


async def _welcome(update: telegram.Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Replies to /start."""
    if update.effective_message is not None:
        await update.effective_message.reply_text("<b>welcome</b>", parse_mode="HTML")


async def test_application_polls_and_answers(emu: Emulator, alice: User, dm: Chat) -> None:
    app = Application.builder().token(emu.token).base_url(emu.base_url).build()
    app.add_handler(CommandHandler("start", _welcome))
    group = emu.create_group("Town", creator=alice)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=5)
        emu.send_message(alice, dm, "/start")
        emu.send_message(alice, group, "just chatting")  # privacy mode: never delivered
        emu.send_message(alice, group, "/start@some_other_bot")  # not for us
        emu.send_message(alice, group, f"/start@{emu.state.bot.username}")
        private = await emu.wait_for_messages(dm, 1, timeout=5)
        in_group = await emu.wait_for_messages(group, 1, timeout=5)
        await app.updater.stop()
        await app.stop()
    assert private[0].text == "welcome" and private[0].parse_mode == "HTML"
    assert in_group[0].reply_to_message_id is not None
    assert emu.pending_updates() == []  # the updater confirmed everything on stop
