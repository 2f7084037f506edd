"""Replayed buttons: a press acts only if the pressed message offers that button right now,
and the destructive /stop confirmation only while it is fresh.

A modified client can send any callback data with any message of the bot. Well-formed data is
not enough: it must be one of the buttons the pressed message carries, which Telegram (and the
emulator) put in the update. Pressing Cancel replaces the keyboard, so the "yes" beside it can
no longer be replayed.
"""

from __future__ import annotations

from datetime import time

from bot.chat.actions import (
    AnswerStop,
    ChooseFrequency,
    ChooseLanguage,
    ChooseTime,
    ChooseZone,
    OpenSettings,
    ToggleRegion,
)
from bot.chat.callback_data import pack
from bot.chat.handlers.buttons import CONFIRMATION_TTL
from bot.emulator import Chat, ChatMessage, User
from storage.models import Chat as StoredChat
from storage.queries import chats as chat_queries
from tests.chat.conftest import Harness

OUT_OF_DATE = "This button is out of date"
EXPIRED = "This confirmation has expired"
YES = pack(AnswerStop(True))
NO = pack(AnswerStop(False))


async def _subscriptions(harness: Harness, chat: Chat) -> set[tuple[str, str]]:
    async with harness.database.read() as session:
        rows = await chat_queries.subscriptions_of(session, chat_id=chat.id)
    return {(s.kind, s.value) for s in rows}


async def _stored(harness: Harness, chat: Chat) -> StoredChat | None:
    async with harness.database.read() as session:
        return await chat_queries.get_chat(session, chat_id=chat.id)


def _date_messages_by_the_bots_clock(harness: Harness) -> None:
    """The emulator dates messages by the wall clock, the bot reads a pinned one: make them
    agree, so a message's age is what the test says."""
    harness.emulator.state.clock = lambda: harness.clock.now().timestamp()


async def _settings_menu(harness: Harness) -> tuple[User, Chat, ChatMessage]:
    """A set-up chat and its /start settings menu, which offers no zone and no time buttons."""
    user, chat = harness.private_chat()
    await harness.say(user, chat, "/subscribe karaganda")
    [menu] = await harness.say(user, chat, "/start")
    assert pack(OpenSettings("time")) in menu.callback_data
    return user, chat, menu


async def test_replaying_the_stop_confirmation_after_cancel_changes_nothing(
    harness: Harness,
) -> None:
    user, chat = harness.private_chat()
    await harness.say(user, chat, "/subscribe karaganda transport")
    [question] = await harness.say(user, chat, "/stop")
    assert question.callback_data == [YES, NO]
    await harness.press(user, question, NO)
    cancelled = harness.current(chat, question.message_id)
    assert "Nothing changed" in (cancelled.text or "")
    assert cancelled.reply_markup is None, "the edit removed the keyboard"

    answer = await harness.press(user, question, YES, forged=True)  # a modified client
    assert OUT_OF_DATE in answer
    assert await _subscriptions(harness, chat) == {
        ("region", "karaganda"),
        ("topic", "transport"),
    }
    assert await _stored(harness, chat) is not None
    assert "Nothing changed" in (harness.current(chat, question.message_id).text or "")


async def test_a_zone_and_a_time_no_keyboard_showed_are_not_set(harness: Harness) -> None:
    user, chat, menu = await _settings_menu(harness)
    for action in (ChooseZone("Etc/GMT+12"), ChooseTime(time(3, 17))):
        answer = await harness.press(user, menu, pack(action), forged=True)
        assert OUT_OF_DATE in answer, action
    await harness.press(user, menu, pack(OpenSettings("time")))
    times = harness.current(chat, menu.message_id)
    assert pack(ChooseTime(time(3, 17))) not in times.callback_data
    answer = await harness.press(user, times, pack(ChooseTime(time(3, 17))), forged=True)
    assert OUT_OF_DATE in answer, "a time keyboard offers only its own times"
    stored = await _stored(harness, chat)
    assert stored is not None
    assert (stored.timezone, stored.digest_time) == ("Asia/Almaty", "08:00")


async def test_buttons_of_a_replaced_keyboard_are_refused(harness: Harness) -> None:
    user, chat, menu = await _settings_menu(harness)
    await harness.press(user, menu, pack(OpenSettings("frequency")))
    assert pack(OpenSettings("regions")) not in harness.current(chat, menu.message_id).callback_data
    answer = await harness.press(user, menu, pack(OpenSettings("regions")), forged=True)
    assert OUT_OF_DATE in answer
    assert "How often" in (harness.current(chat, menu.message_id).text or ""), "not edited again"


async def test_genuine_presses_still_work(harness: Harness) -> None:
    user, chat, menu = await _settings_menu(harness)
    await harness.press(user, menu, pack(OpenSettings("time")))
    times = harness.current(chat, menu.message_id)
    offered = next(data for data in times.callback_data if data.startswith("1|H|"))
    assert await harness.press(user, times, offered) == ""
    stored = await _stored(harness, chat)
    assert stored is not None and stored.digest_time == offered.removeprefix("1|H|")

    [keyboard] = await harness.say(user, chat, "/frequency")
    await harness.press(user, keyboard, pack(ChooseFrequency("weekdays")))
    [regions] = await harness.say(user, chat, "/regions")
    await harness.press(user, regions, pack(ToggleRegion("abai")))
    assert await _subscriptions(harness, chat) == {("region", "karaganda"), ("region", "abai")}
    stored = await _stored(harness, chat)
    assert stored is not None and stored.frequency == "weekdays"


async def test_onboarding_buttons_follow_the_edited_message(harness: Harness) -> None:
    user, chat = harness.private_chat()
    [welcome] = await harness.say(user, chat, "/start")
    await harness.press(user, welcome, pack(ChooseLanguage("ru")))
    answer = await harness.press(user, welcome, pack(ChooseLanguage("kk")), forged=True)
    assert "Эта кнопка устарела" in answer, "the language keyboard was replaced by regions"
    stored = await _stored(harness, chat)
    assert stored is not None and stored.language == "ru"


async def test_an_expired_stop_confirmation_is_refused_and_a_fresh_one_works(
    harness: Harness,
) -> None:
    _date_messages_by_the_bots_clock(harness)
    user, chat = harness.private_chat()
    await harness.say(user, chat, "/subscribe karaganda")
    [old] = await harness.say(user, chat, "/stop")
    harness.clock.advance(seconds=CONFIRMATION_TTL.total_seconds() + 1)
    answer = await harness.press(user, old, YES)
    assert EXPIRED in answer
    assert await _subscriptions(harness, chat) == {("region", "karaganda")}
    assert harness.current(chat, old.message_id).callback_data == [YES, NO], "left as it was"

    [fresh] = await harness.say(user, chat, "/stop")
    harness.clock.advance(seconds=CONFIRMATION_TTL.total_seconds() - 1)
    await harness.press(user, fresh, YES)
    assert "settings and subscriptions are deleted" in (
        harness.current(chat, fresh.message_id).text or ""
    )
    assert await _stored(harness, chat) is None


async def test_cancel_is_not_destructive_and_never_expires(harness: Harness) -> None:
    _date_messages_by_the_bots_clock(harness)
    user, chat = harness.private_chat()
    await harness.say(user, chat, "/subscribe karaganda")
    [question] = await harness.say(user, chat, "/stop")
    harness.clock.advance(days=2)
    await harness.press(user, question, NO)
    assert "Nothing changed" in (harness.current(chat, question.message_id).text or "")
    assert await _subscriptions(harness, chat) == {("region", "karaganda")}


async def test_a_confirmation_dated_ahead_of_the_bots_clock_is_fresh(harness: Harness) -> None:
    """Telegram's clock may run ahead of the bot's: that is no reason to refuse."""
    _date_messages_by_the_bots_clock(harness)
    user, chat = harness.private_chat()
    harness.clock.advance(minutes=30)
    [question] = await harness.say(user, chat, "/stop")
    harness.clock.advance(minutes=-30)
    await harness.press(user, question, YES)
    assert await _stored(harness, chat) is None
