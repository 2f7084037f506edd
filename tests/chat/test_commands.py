"""Private-chat commands end to end: subscriptions, settings, digest, search, why."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.chat.actions import AnswerStop, RemoveSubscription
from bot.chat.callback_data import pack
from bot.domain.telegram_html import visible_text
from storage.queries import chats as chat_queries
from storage.queries import deliveries as ledger
from tests.chat.conftest import Harness


async def _subscriptions(harness: Harness, chat_id: int) -> set[tuple[str, str]]:
    async with harness.database.read() as session:
        rows = await chat_queries.subscriptions_of(session, chat_id=chat_id)
    return {(s.kind, s.value) for s in rows}


async def test_subscribe_resolves_names_in_any_language_and_counts_matches(
    harness: Harness,
) -> None:
    user, chat = harness.private_chat()
    [answer] = await harness.say(
        user, chat, '/subscribe Qaraghandy транспорт "e-commerce" -football'
    )
    text = answer.text or ""
    assert "Karaganda region" in text and "Transport" in text
    assert "In the last 7 days" in text
    assert await _subscriptions(harness, chat.id) == {
        ("region", "karaganda"),
        ("topic", "transport"),
        ("keyword", "e-commerce"),
        ("exclude", "football"),
    }


async def test_unknown_names_get_suggestions_and_are_never_keywords(harness: Harness) -> None:
    user, chat = harness.private_chat()
    [answer] = await harness.say(user, chat, "/subscribe karagandaa zzzzqqq")
    text = answer.text or ""
    assert "zzzzqqq" in text
    assert ("keyword", "zzzzqqq") not in await _subscriptions(harness, chat.id)


async def test_subscribe_without_arguments_explains_usage(harness: Harness) -> None:
    user, chat = harness.private_chat()
    [answer] = await harness.say(user, chat, "/subscribe")
    assert "/subscribe karaganda transport" in (answer.text or "")


async def test_deep_link_subscribes_in_one_tap(harness: Harness) -> None:
    user, chat = harness.private_chat()
    [answer] = await harness.say(user, chat, "/start karaganda_transport")
    assert "Subscribed" in (answer.text or "")
    assert await _subscriptions(harness, chat.id) == {
        ("region", "karaganda"),
        ("topic", "transport"),
    }


async def test_mysubs_lists_with_remove_buttons(harness: Harness) -> None:
    user, chat = harness.private_chat()
    await harness.say(user, chat, "/subscribe turkestan agriculture")
    [listing] = await harness.say(user, chat, "/mysubs")
    assert "Turkestan region" in (listing.text or "")
    remove = [d for d in listing.callback_data if d.startswith("1|X|")]
    assert len(remove) == 2
    note = await harness.press(user, listing, remove[0])
    assert "Removed" in note
    assert await _subscriptions(harness, chat.id) == {("topic", "agriculture")}


async def test_digest_now_moves_the_watermark_so_nothing_comes_twice(harness: Harness) -> None:
    user, chat = harness.private_chat()
    await harness.say(user, chat, "/subscribe karaganda")
    digest = await harness.say(user, chat, "/digest")
    html = digest[0].raw_text or ""
    assert "News digest" in html and "14 January 2025" in html
    assert "E-commerce is one of the drivers of economic growth" in visible_text(html)
    assert digest[0].link_preview_options == {"is_disabled": True}
    [again] = await harness.say(user, chat, "/digest")
    assert "Nothing new" in (again.text or "")
    async with harness.database.read() as session:
        assert await ledger.watermark(session, chat_id=chat.id) == 20


async def test_why_explains_an_item_of_the_last_digest(harness: Harness) -> None:
    user, chat = harness.private_chat()
    await harness.say(user, chat, "/subscribe karaganda")
    await harness.say(user, chat, "/digest")
    [answer] = await harness.say(user, chat, "/why 1")
    assert "Karaganda region" in (answer.text or "")
    [missing] = await harness.say(user, chat, "/why 99")
    assert "no item 99" in (missing.text or "")
    [usage] = await harness.say(user, chat, "/why three")
    assert "/why 3" in (usage.text or "")


async def test_search_finds_articles_in_any_case_and_escapes_the_query(harness: Harness) -> None:
    user, chat = harness.private_chat()
    [found] = await harness.say(user, chat, "/search cable car")
    assert "A cable car was built in Shakhtinsk" in (found.text or "")
    [none] = await harness.say(user, chat, '/search <b>zzqx</b> "AND" OR *')
    assert "Nothing found" in (none.text or "")
    assert "<b>zzqx</b>" in (none.text or "")


async def test_time_sets_the_next_digest_in_the_chat_zone(harness: Harness) -> None:
    user, chat = harness.private_chat()
    [answer] = await harness.say(user, chat, "/time 20.30")
    assert "20:30" in (answer.text or "")
    async with harness.database.read() as session:
        stored = await chat_queries.get_chat(session, chat_id=chat.id)
    assert stored is not None
    # 20:30 in Asia/Almaty (UTC+5) on 14 January is 15:30 UTC, still ahead of 06:00 UTC.
    assert stored.next_due_at == datetime(2025, 1, 14, 15, 30, tzinfo=UTC)
    [bad] = await harness.say(user, chat, "/time 25:99")
    assert "/time 08:30" in (bad.text or "")


async def test_frequency_timezone_pause_resume(harness: Harness) -> None:
    user, chat = harness.private_chat()
    [weekly] = await harness.say(user, chat, "/frequency weekly friday")
    assert "Friday" in (weekly.text or "")
    [zone] = await harness.say(user, chat, "/timezone europe/moscow")
    assert "Europe/Moscow" in (zone.text or "")
    [bad_zone] = await harness.say(user, chat, "/timezone Mars/Olympus")
    assert "/timezone Asia/Almaty" in (bad_zone.text or "")
    [paused] = await harness.say(user, chat, "/pause")
    assert "paused" in (paused.text or "")
    [resumed] = await harness.say(user, chat, "/resume")
    assert "resumed" in (resumed.text or "")


async def test_lang_switches_replies_and_the_command_menu(harness: Harness) -> None:
    user, chat = harness.private_chat()
    [answer] = await harness.say(user, chat, "/lang kk")
    assert "қазақша" in (answer.text or "")
    menu = harness.emulator.commands({"type": "chat", "chat_id": chat.id})
    assert any(command["description"] == "Дайджест қазір" for command in menu)
    [help_text] = await harness.say(user, chat, "/help")
    assert "Қазақстан" in (help_text.text or "")


async def test_stop_forgets_the_chat_after_confirmation(harness: Harness) -> None:
    user, chat = harness.private_chat()
    await harness.say(user, chat, "/subscribe karaganda")
    [question] = await harness.say(user, chat, "/stop")
    await harness.press(user, question, pack(AnswerStop(False)))
    assert "Nothing changed" in (harness.current(chat, question.message_id).text or "")
    assert await _subscriptions(harness, chat.id) == {("region", "karaganda")}
    [question] = await harness.say(user, chat, "/stop")
    await harness.press(user, question, pack(AnswerStop(True)))
    assert await _subscriptions(harness, chat.id) == set()
    async with harness.database.read() as session:
        assert await chat_queries.get_chat(session, chat_id=chat.id) is None


async def test_forged_and_outdated_buttons_change_nothing(harness: Harness) -> None:
    user, chat = harness.private_chat()
    await harness.say(user, chat, "/subscribe karaganda")
    [listing] = await harness.say(user, chat, "/mysubs")
    forged = await harness.press(user, listing, "1|X|not-a-number", forged=True)
    assert "does not work" in forged
    outdated = await harness.press(user, listing, "0|X|1", forged=True)
    assert "out of date" in outdated
    other = await harness.press(user, listing, pack(RemoveSubscription(999_999)), forged=True)
    assert "out of date" in other
    assert await _subscriptions(harness, chat.id) == {("region", "karaganda")}


async def test_unknown_commands_stickers_and_plain_text(harness: Harness) -> None:
    user, chat = harness.private_chat()
    [unknown] = await harness.say(user, chat, "/frobnicate")
    assert "/help" in (unknown.text or "")
    harness.emulator.send_sticker(user, chat)
    sent = await harness.emulator.wait_for_messages(chat, 2)
    assert "/help" in (sent[-1].text or "")
    [plain] = await harness.say(user, chat, "hello?")
    assert "/help" in (plain.text or "")
