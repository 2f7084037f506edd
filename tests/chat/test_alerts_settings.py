"""Who gets urgent alerts, end to end: /alerts, /quiet, the settings button, onboarding's
one-tap offer, groups' administrators and channels managed from a private chat."""

from __future__ import annotations

import logging

import pytest

from bot.chat.actions import ChooseLanguage, Onboarding, OpenSettings, SwitchAlerts, ToggleRegion
from bot.chat.callback_data import pack
from bot.domain.telegram_html import utf16_len
from bot.emulator import Chat, ChatMessage, User
from storage.models import Chat as ChatRow
from storage.queries import chats as chat_queries
from tests.chat.conftest import Harness
from tests.chat.test_odd_arguments import GENERIC_ERROR, ODD, UNSAFE

ALERTS_ON = pack(SwitchAlerts(True))
ALERTS_OFF = pack(SwitchAlerts(False))


async def _row(harness: Harness, chat_id: int) -> ChatRow:
    async with harness.database.read() as session:
        chat = await chat_queries.get_chat(session, chat_id=chat_id)
    assert chat is not None
    return chat


async def _alerts(harness: Harness, chat_id: int) -> bool:
    return (await _row(harness, chat_id)).alerts


async def _quiet(harness: Harness, chat_id: int) -> tuple[str | None, str | None]:
    row = await _row(harness, chat_id)
    return row.quiet_start, row.quiet_end


def _labels(message: ChatMessage) -> list[str]:
    markup = message.reply_markup or {"inline_keyboard": []}
    return [button["text"] for row in markup["inline_keyboard"] for button in row]


async def test_alerts_are_off_until_asked_for_and_switch_on_and_off(harness: Harness) -> None:
    user, chat = harness.private_chat()
    await harness.say(user, chat, "/subscribe karaganda")
    [state] = await harness.say(user, chat, "/alerts")
    assert "Alerts are off" in (state.text or "")
    assert "At most 5 a day" in (state.text or "")
    assert {ALERTS_ON, ALERTS_OFF} <= set(state.callback_data)
    assert "✅ 🔕 Off" in _labels(state)
    assert await _alerts(harness, chat.id) is False

    [on] = await harness.say(user, chat, "/alerts on")
    assert "Alerts on" in (on.text or "")
    assert "No quiet hours" in (on.text or "")
    assert "no region" not in (on.text or "")
    assert await _alerts(harness, chat.id) is True
    [state] = await harness.say(user, chat, "/alerts")
    assert "Alerts are on" in (state.text or "")
    assert "✅ 🔔 On" in _labels(state)

    [off] = await harness.say(user, chat, "/alerts OFF")
    assert "Alerts off" in (off.text or "")
    assert await _alerts(harness, chat.id) is False


async def test_alerts_take_russian_and_kazakh_words_too(harness: Harness) -> None:
    user, chat = harness.private_chat(language="kk")
    [on] = await harness.say(user, chat, "/alerts қосу")
    assert "Хабарламалар қосылды" in (on.text or "")
    assert "бірде-бір өңір" in (on.text or ""), "no region: no alert can come"
    assert await _alerts(harness, chat.id) is True
    [off] = await harness.say(user, chat, "/alerts выкл")
    assert "өшірілді" in (off.text or "")
    assert await _alerts(harness, chat.id) is False


async def test_alerts_with_a_wrong_word_say_so_and_change_nothing(harness: Harness) -> None:
    user, chat = harness.private_chat(language="ru")
    [answer] = await harness.say(user, chat, "/alerts maybe")
    text = answer.text or ""
    assert "Не понимаю «maybe»" in text
    assert "/alerts on" in text and "/alerts off" in text
    assert ALERTS_ON in answer.callback_data
    assert await _alerts(harness, chat.id) is False


async def test_the_alerts_buttons_switch_them(harness: Harness) -> None:
    user, chat = harness.private_chat()
    [state] = await harness.say(user, chat, "/alerts")
    note = await harness.press(user, state, ALERTS_ON)
    assert note == "🔔 Alerts on"
    assert await _alerts(harness, chat.id) is True
    shown = harness.current(chat, state.message_id)
    assert "Alerts are on" in (shown.text or "")
    assert "✅ 🔔 On" in _labels(shown)
    assert "You follow no region yet" in (shown.text or "")
    note = await harness.press(user, shown, ALERTS_OFF)
    assert note == "🔕 Alerts off"
    assert await _alerts(harness, chat.id) is False


async def test_quiet_hours_are_set_shown_and_turned_off(harness: Harness) -> None:
    user, chat = harness.private_chat()
    [none] = await harness.say(user, chat, "/quiet")
    assert "No quiet hours" in (none.text or "")
    assert "/quiet 22:00-07:00" in (none.text or "") and "Asia/Almaty" in (none.text or "")

    [done] = await harness.say(user, chat, "/quiet 22:00 – 7")
    assert "Quiet hours: 22:00–07:00 (Asia/Almaty)" in (done.text or "")
    assert "/alerts on" in (done.text or ""), "alerts are still off: say how to turn them on"
    assert await _quiet(harness, chat.id) == ("22:00", "07:00")
    [shown] = await harness.say(user, chat, "/quiet")
    assert "22:00–07:00" in (shown.text or "")

    [off] = await harness.say(user, chat, "/quiet off")
    assert "Quiet hours off" in (off.text or "")
    assert await _quiet(harness, chat.id) == (None, None)


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        ("25:00-07:00", "«25:00» is not a time of day"),
        ("22:00-7:60", "«7:60» is not a time of day"),
        ("7", "two times joined by a dash"),
        ("tonight", "two times joined by a dash"),
        ("on", "two times joined by a dash"),
        ("22-22:00", "a start and an end that differ"),
    ],
)
async def test_quiet_hours_refuse_what_is_not_a_range(
    harness: Harness, argument: str, expected: str
) -> None:
    user, chat = harness.private_chat()
    await harness.say(user, chat, "/quiet 23-6")
    [answer] = await harness.say(user, chat, f"/quiet {argument}")
    assert expected in (answer.text or "")
    assert "/quiet 22:00-07:00" in (answer.text or ""), "and how to say it"
    assert await _quiet(harness, chat.id) == ("23:00", "06:00"), "nothing changed"


async def test_quiet_hours_reply_in_russian(harness: Harness) -> None:
    user, chat = harness.private_chat(language="ru")
    await harness.say(user, chat, "/alerts on")
    [done] = await harness.say(user, chat, "/quiet 22.00-07.00")
    assert "Тихие часы: 22:00–07:00 (Asia/Almaty)" in (done.text or "")
    assert "/alerts on" not in (done.text or ""), "alerts are on: no reminder"
    [bad] = await harness.say(user, chat, "/quiet 7")
    assert "Нужны два времени через дефис" in (bad.text or "")


async def test_the_settings_button_opens_alerts_and_the_summary_shows_them(
    harness: Harness,
) -> None:
    user, chat = harness.private_chat()
    await harness.say(user, chat, "/subscribe karaganda")
    [summary] = await harness.say(user, chat, "/start")
    assert "Urgent alerts: off (/alerts on)" in (summary.text or "")
    opened = pack(OpenSettings("alerts"))
    assert opened in summary.callback_data

    await harness.press(user, summary, opened)
    screen = harness.current(chat, summary.message_id)
    assert "Alerts are off" in (screen.text or "")
    assert "No quiet hours" in (screen.text or "")
    note = await harness.press(user, screen, ALERTS_ON)
    assert note == "🔔 Alerts on"
    assert await _alerts(harness, chat.id) is True

    await harness.say(user, chat, "/quiet 22-7")
    screen = harness.current(chat, summary.message_id)
    await harness.press(user, screen, pack(OpenSettings("close")))
    back = harness.current(chat, summary.message_id)
    assert "Your settings" in (back.text or "")
    assert "Urgent alerts: on" in (back.text or "")
    [again] = await harness.say(user, chat, "/start")
    assert "Urgent alerts: on, quiet hours 22:00–07:00" in (again.text or "")
    assert len(harness.emulator.messages_to(chat)) == 4, "the buttons edit in place"


async def _to_topics(harness: Harness, user: User, chat: Chat) -> ChatMessage:
    """/start, Russian, Karaganda, next: the step right after the regions."""
    [welcome] = await harness.say(user, chat, "/start")
    await harness.press(user, welcome, pack(ChooseLanguage("ru")))
    regions = harness.current(chat, welcome.message_id)
    await harness.press(user, regions, pack(ToggleRegion("karaganda")))
    regions = harness.current(chat, welcome.message_id)
    await harness.press(user, regions, pack(Onboarding("regions", "next")))
    return harness.current(chat, welcome.message_id)


async def test_onboarding_offers_alerts_with_one_tap_after_the_regions(harness: Harness) -> None:
    user, chat = harness.private_chat("Aigerim", language="ru")
    topics = await _to_topics(harness, user, chat)
    assert "Срочные оповещения?" in (topics.text or "")
    assert "Какие темы?" in (topics.text or "")
    assert "🔔 Включить оповещения" in _labels(topics)
    assert await _alerts(harness, chat.id) is False

    note = await harness.press(user, topics, ALERTS_ON)
    assert note == "🔔 Оповещения включены"
    assert await _alerts(harness, chat.id) is True
    topics = harness.current(chat, topics.message_id)
    assert "Срочные оповещения для ваших регионов включены" in (topics.text or "")
    assert ALERTS_OFF in topics.callback_data, "a second tap undoes it"
    assert pack(Onboarding("topics", "next")) in topics.callback_data, "still the topics step"

    await harness.press(user, topics, pack(Onboarding("topics", "next")))
    times = harness.current(chat, topics.message_id)
    await harness.press(user, times, pack(Onboarding("time", "back")))
    topics = harness.current(chat, topics.message_id)
    assert "включены" in (topics.text or ""), "back at the step, the offer shows it was taken"
    await harness.press(user, topics, pack(Onboarding("topics", "next")))
    times = harness.current(chat, topics.message_id)
    await harness.press(user, times, pack(Onboarding("time", "done")))
    summary = harness.current(chat, topics.message_id)
    assert "Срочные оповещения: включены" in (summary.text or "")
    assert len(harness.emulator.messages_to(chat)) == 1, "keyboards edit one message"


async def test_onboarding_without_the_tap_leaves_alerts_off(harness: Harness) -> None:
    user, chat = harness.private_chat("Daniyar", language="en")
    topics = await _to_topics(harness, user, chat)
    await harness.press(user, topics, pack(Onboarding("topics", "next")))
    times = harness.current(chat, topics.message_id)
    await harness.press(user, times, pack(Onboarding("time", "done")))
    summary = harness.current(chat, topics.message_id)
    assert "Срочные оповещения: выключены" in (summary.text or "")
    assert await _alerts(harness, chat.id) is False


async def test_only_a_groups_administrators_change_alerts_and_quiet_hours(
    harness: Harness,
) -> None:
    admin = harness.emulator.create_user("Admin")
    member = harness.emulator.create_user("Member")
    group = harness.emulator.create_group(
        "District", creator=admin, members=(member,), bot_status="administrator"
    )
    await harness.emulator.wait_for_messages(group, 1)  # the greeting
    for command in ("/alerts on", "/quiet 22-7", "/alerts"):
        [refusal] = await harness.say(member, group, command)
        assert "Only this group's administrators" in (refusal.text or "")
    assert await _alerts(harness, group.id) is False
    assert await _quiet(harness, group.id) == (None, None)

    [state] = await harness.say(admin, group, "/alerts")
    query = harness.emulator.press_button(member, state, ALERTS_ON)
    answer = await harness.emulator.wait_for_callback_answer(query)
    assert answer.show_alert and "administrators" in (answer.text or "")
    assert await _alerts(harness, group.id) is False

    [on] = await harness.say(admin, group, "/alerts on")
    assert "Alerts on" in (on.text or "")
    [quiet] = await harness.say(admin, group, "/quiet 23:00-06:30")
    assert "23:00–06:30" in (quiet.text or "")
    assert await _alerts(harness, group.id) is True
    assert await _quiet(harness, group.id) == ("23:00", "06:30")


async def test_a_managed_channel_gets_its_alerts_set_from_the_private_chat(
    harness: Harness,
) -> None:
    user, private = harness.private_chat("Editor")
    channel = harness.emulator.create_channel(
        "Region News", username="regionnews", creator=user, bot_status="administrator"
    )
    await harness.say(user, private, "/channel @regionnews")
    await harness.say(user, private, "/subscribe karaganda")
    [on] = await harness.say(user, private, "/alerts on")
    assert "Alerts on" in (on.text or "")
    await harness.say(user, private, "/quiet 22-7")
    assert await _alerts(harness, channel.id) is True
    assert await _quiet(harness, channel.id) == ("22:00", "07:00")
    assert await _alerts(harness, private.id) is False
    assert await _quiet(harness, private.id) == (None, None)

    await harness.say(user, private, "/manage me")
    [own] = await harness.say(user, private, "/alerts")
    assert "Alerts are off" in (own.text or "")


async def test_help_and_the_command_menu_name_both_commands(harness: Harness) -> None:
    user, chat = harness.private_chat(language="kk")
    [help_text] = await harness.say(user, chat, "/help")
    assert "/alerts on|off" in (help_text.text or "")
    assert "/quiet 22:00-07:00" in (help_text.text or "")
    for language in ("", "en", "ru", "kk"):
        names = {entry["command"] for entry in harness.emulator.commands(language_code=language)}
        assert {"alerts", "quiet"} <= names


@pytest.mark.parametrize("command", ["alerts", "quiet"])
async def test_odd_arguments_get_one_clear_reply(
    harness: Harness, caplog: pytest.LogCaptureFixture, command: str
) -> None:
    user, chat = harness.private_chat()
    for argument in ODD.values():
        [answer] = await harness.say(user, chat, f"/{command} {argument}")
        shown = answer.text or ""
        assert shown.strip() and GENERIC_ERROR not in shown
        assert utf16_len(shown) <= 4096
        assert UNSAFE.search(shown) is None, f"an invisible character echoed: {shown[:200]!r}"
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    row = await _row(harness, chat.id)
    assert (row.alerts, row.quiet_start) == (False, None)
