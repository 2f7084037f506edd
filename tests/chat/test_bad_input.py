"""Bad input always gets a clear translated answer (or expected silence), never a crash."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.chat.actions import ChooseLanguage, ToggleRegion
from bot.chat.callback_data import pack
from bot.logs import configure_logging
from storage.queries import chats as chat_queries
from tests.chat.conftest import Harness


async def test_every_reply_is_in_the_chat_language(harness: Harness) -> None:
    user, chat = harness.private_chat(language="ru")
    [answer] = await harness.say(user, chat, "/subscribe абракадабра")
    assert "Не знаю" in (answer.text or "")
    [kk] = await harness.say(user, chat, "/lang kk")
    [usage] = await harness.say(user, chat, "/time")
    assert "Уақытты жазыңыз" in (usage.text or "")
    assert kk.text


async def test_a_huge_subscribe_message_is_refused_politely(harness: Harness) -> None:
    user, chat = harness.private_chat()
    text = "/subscribe " + " ".join(f"word{i}" for i in range(600))
    [answer] = await harness.say(user, chat, text[:4096])
    assert "too much at once" in (answer.text or "")
    async with harness.database.read() as session:
        assert not await chat_queries.subscriptions_of(session, chat_id=chat.id)


async def test_long_keywords_and_empty_quotes_are_explained(harness: Harness) -> None:
    user, chat = harness.private_chat()
    [long] = await harness.say(user, chat, '/subscribe "' + "x" * 200 + '"')
    assert "too long" in (long.text or "")
    [empty] = await harness.say(user, chat, '/subscribe "!!!"')
    assert "letters or digits" in (empty.text or "")


async def test_html_in_user_input_is_escaped_in_replies(harness: Harness) -> None:
    user, chat = harness.private_chat()
    [answer] = await harness.say(user, chat, '/subscribe "<b>tariff</b> & co"')
    assert "<b>tariff</b> & co" in (answer.text or "")
    [listing] = await harness.say(user, chat, "/mysubs")
    assert "<b>tariff</b> & co" in (listing.text or "")


async def test_edits_are_ignored_and_photos_get_a_hint(harness: Harness) -> None:
    user, chat = harness.private_chat()
    typed = harness.emulator.send_message(user, chat, "/time 9")
    await harness.emulator.wait_for_messages(chat, 1)
    harness.emulator.edit_user_message(typed, "/time 10")
    harness.emulator.send_photo(user, chat)
    sent = await harness.emulator.wait_for_messages(chat, 2)
    assert "/help" in (sent[-1].text or "")
    await asyncio.sleep(0.2)
    assert len(harness.emulator.messages_to(chat)) == 2, "an edited command is not run again"
    async with harness.database.read() as session:
        stored = await chat_queries.get_chat(session, chat_id=chat.id)
    assert stored is not None and stored.digest_time == "09:00"


async def test_buttons_of_an_old_keyboard_still_work_and_change_only_what_is_pressed(
    harness: Harness,
) -> None:
    user, chat = harness.private_chat()
    [welcome] = await harness.say(user, chat, "/start")
    await harness.press(user, welcome, pack(ChooseLanguage("en")))
    [keyboard] = await harness.say(user, chat, "/regions")
    await harness.press(user, keyboard, pack(ToggleRegion("abai")))
    await harness.press(user, keyboard, pack(ToggleRegion("abai")))
    async with harness.database.read() as session:
        assert not await chat_queries.subscriptions_of(session, chat_id=chat.id)
    text = harness.current(chat, keyboard.message_id).text or ""
    assert "In the last 7 days, 0 stories" in text


async def test_the_default_command_menu_exists_in_every_language(harness: Harness) -> None:
    for language, description in (
        ("en", "The digest now"),
        ("ru", "Дайджест сейчас"),
        ("kk", "Дайджест қазір"),
    ):
        menu = harness.emulator.commands(None, language)
        assert {"command": "digest", "description": description} in menu


async def test_the_token_never_reaches_the_logs(
    harness: Harness, capsys: pytest.CaptureFixture[str]
) -> None:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    configure_logging("DEBUG", secrets=[harness.emulator.token])
    try:
        user, chat = harness.private_chat()
        await harness.say(user, chat, "/start")
        await harness.say(user, chat, "/subscribe karaganda")
        logging.getLogger("bot.test").warning(
            "about to fail at %s", harness.emulator.base_url + harness.emulator.token
        )
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    logged = capsys.readouterr().err
    assert "about to fail" in logged
    assert harness.emulator.token not in logged
