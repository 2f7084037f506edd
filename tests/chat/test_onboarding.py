"""Onboarding and settings through the emulator, as a user presses buttons."""

from __future__ import annotations

from bot.chat.actions import ChooseLanguage, Onboarding, ToggleRegion, ToggleTopic
from bot.chat.callback_data import pack
from storage.queries import chats as chat_queries
from tests.chat.conftest import Harness


async def test_start_walks_through_language_regions_topics_and_time(harness: Harness) -> None:
    user, chat = harness.private_chat("Aigerim", language="ru")
    [welcome] = await harness.say(user, chat, "/start")
    assert "newsdigest" in (welcome.text or "")
    assert pack(ChooseLanguage("kk")) in welcome.callback_data

    await harness.press(user, welcome, pack(ChooseLanguage("ru")))
    regions = harness.current(chat, welcome.message_id)
    assert "Какие регионы" in (regions.text or "")
    await harness.press(user, regions, pack(ToggleRegion("karaganda")))
    regions = harness.current(chat, welcome.message_id)
    assert any("✅" in b["text"] for row in regions.reply_markup["inline_keyboard"] for b in row)

    await harness.press(user, regions, pack(Onboarding("regions", "next")))
    topics = harness.current(chat, welcome.message_id)
    await harness.press(user, topics, pack(ToggleTopic("transport")))
    topics = harness.current(chat, welcome.message_id)
    await harness.press(user, topics, pack(Onboarding("topics", "next")))
    times = harness.current(chat, welcome.message_id)
    choice = next(d for d in times.callback_data if d.startswith("1|H|"))
    await harness.press(user, times, choice)
    summary = harness.current(chat, welcome.message_id)
    assert "Карагандинская область" in (summary.text or "")
    assert "Транспорт" in (summary.text or "")

    async with harness.database.read() as session:
        stored = await chat_queries.get_chat(session, chat_id=chat.id)
        subscriptions = await chat_queries.subscriptions_of(session, chat_id=chat.id)
    assert stored is not None and stored.language == "ru"
    assert stored.digest_time == choice.split("|")[2]
    assert {(s.kind, s.value) for s in subscriptions} == {
        ("region", "karaganda"),
        ("topic", "transport"),
    }
    assert len(harness.emulator.messages_to(chat)) == 1, "keyboards edit one message"
