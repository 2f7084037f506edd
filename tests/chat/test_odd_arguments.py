"""Oversized and odd arguments: every command answers once, clearly, and logs no error.

A 4,096-character word quoted twice made /subscribe's reply too long for Telegram (400, then
the generic error); a 5,000-digit number made /why call `int()` past Python's digit limit.
Each command here gets a very long argument, control characters, bidirectional overrides,
emoji (flags, skin tones, ZWJ families), HTML and a 5,000-digit number.
"""

from __future__ import annotations

import logging
import re

import pytest

from bot.domain.telegram_html import utf16_len
from bot.emulator import Chat, ChatMessage, User
from storage.queries import chats as chat_queries
from storage.queries import sources as source_queries
from tests.chat.conftest import Harness

CONTROLS = "".join(chr(code) for code in (*range(0x00, 0x20), 0x7F, 0x85))
ODD = {
    "a 4,096-character word": "zq" * 2048,
    "4,096 emoji characters": "🇰🇿" * 2048,
    "control characters": f"kara{CONTROLS}ganda",
    "bidirectional overrides": "\u202eadnagarak\u202c \u2066iso\u2069 \u2067late\u2069",
    "emoji": "👨\u200d👩\u200d👧\u200d👦 🏳️\u200d🌈 👍🏽 🇰🇿",
    "HTML": "<b>bold</b> & <a href='x'>",
    "a 5,000-digit number": "9" * 5000,
}
# What a reply must never show: controls other than the line feed, direction overrides.
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
GENERIC_ERROR = "something went wrong"

COMMANDS = [
    "subscribe",
    "unsubscribe",
    "search",
    "why",
    "time",
    "timezone",
    "frequency",
    "lang",
    "nonews",
    "start",
    "channel",
    "manage",
    "route",
    "stop",
    "pause",
    "mysubs",
    "latest",
    "help",
    "frobnicate",
]
OPERATOR_COMMANDS = ["addsource", "removesource", "pollnow", "sources", "stats"]


async def _answer(harness: Harness, user: User, chat: Chat, text: str) -> ChatMessage:
    """The bot's one reply: clear, within Telegram's limit, with nothing invisible in it."""
    [answer] = await harness.say(user, chat, text)
    shown = answer.text or ""
    assert shown.strip(), "an empty reply"
    assert GENERIC_ERROR not in shown, f"the generic error for {text[:60]!r}"
    assert utf16_len(shown) <= 4096
    assert UNSAFE.search(shown) is None, f"an invisible character echoed: {shown[:200]!r}"
    return answer


def _no_errors(caplog: pytest.LogCaptureFixture) -> None:
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []


@pytest.mark.parametrize("command", COMMANDS)
async def test_every_command_answers_odd_arguments_clearly(
    harness: Harness, caplog: pytest.LogCaptureFixture, command: str
) -> None:
    user, chat = harness.private_chat()
    for argument in ODD.values():
        await _answer(harness, user, chat, f"/{command} {argument}")
    _no_errors(caplog)


@pytest.mark.parametrize("command", OPERATOR_COMMANDS)
async def test_every_operator_command_answers_odd_arguments_clearly(
    harness: Harness, caplog: pytest.LogCaptureFixture, command: str
) -> None:
    chat = harness.emulator.create_private_chat(harness.operator)
    for argument in ODD.values():
        await _answer(harness, harness.operator, chat, f"/{command} {argument}")
    _no_errors(caplog)
    async with harness.database.read() as session:
        assert await source_queries.count_sources(session) == 0, "nothing odd was added"


async def test_route_in_a_forum_topic_answers_odd_arguments_clearly(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    admin = harness.emulator.create_user("Admin")
    forum = harness.emulator.create_supergroup(
        "District", forum=True, creator=admin, bot_status="administrator"
    )
    await harness.emulator.wait_for_messages(forum, 1)
    name = "\u202eswen\u202c 👨\u200d👩\u200d👧 " + "x" * 100  # Telegram allows 128 characters
    topic = harness.emulator.create_topic(forum, name, by=admin)
    for argument in [*ODD.values(), "turkestan"]:
        before = len(harness.emulator.messages_to(forum))
        harness.emulator.send_message(
            admin,
            forum,
            f"/route {argument}",
            message_thread_id=topic.message_thread_id,
            reply_to=topic.message_thread_id,
        )
        sent = await harness.emulator.wait_for_messages(forum, before + 1)
        shown = sent[-1].text or ""
        assert GENERIC_ERROR not in shown and utf16_len(shown) <= 4096
        assert UNSAFE.search(shown) is None
    assert "swen" in shown and "Turkestan" in shown
    _no_errors(caplog)


async def test_an_unknown_4990_character_word_is_quoted_short(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    user, chat = harness.private_chat()
    answer = await _answer(harness, user, chat, "/subscribe " + "q" * 4990)
    assert "I don't know «" + "q" * 63 + "…»" in (answer.text or "")
    _no_errors(caplog)


async def test_many_long_unknown_words_fit_one_reply(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    user, chat = harness.private_chat()
    words = " ".join(f"{n:02d}" + "ж" * 120 for n in range(31))  # with karaganda: MAX_TERMS
    answer = await _answer(harness, user, chat, f"/subscribe karaganda {words}")
    text = answer.text or ""
    assert text.count("I don't know «") == 5
    assert "…and 26 more names I don't know." in text
    assert "Karaganda region" in text and "In the last 7 days" in text
    _no_errors(caplog)


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/why " + "9" * 5000, "Which item?"),
        ("/why 99999", "no item 99999"),
        ("/why 9999999", "Which item?"),
        ("/why ²", "Which item?"),
        ("/why 7", "no item 7"),
        ("/time " + "9" * 5000, "Send a time like"),
        ("/removesource " + "9" * 5000, "No source «" + "9" * 63 + "…»"),
        ("/pollnow " + "9" * 20, "No source «" + "9" * 20 + "»"),
        ("/pollnow ²", "No source «²»"),
        ("/addsource https://example.kz/rss " + "9" * 5000, "Poll every 5 minutes"),
        ("/channel -" + "9" * 5000, "can't find that channel"),
    ],
)
async def test_numbers_are_checked_for_length_before_conversion(
    harness: Harness, caplog: pytest.LogCaptureFixture, command: str, expected: str
) -> None:
    chat = harness.emulator.create_private_chat(harness.operator)
    answer = await _answer(harness, harness.operator, chat, command)
    assert expected in (answer.text or "")
    _no_errors(caplog)


async def test_a_long_source_address_is_added_and_quoted_short(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    chat = harness.emulator.create_private_chat(harness.operator)
    too_long = "https://example.kz/" + "a" * 4000
    refused = await _answer(harness, harness.operator, chat, f"/addsource {too_long} 30 listing")
    assert "too long" in (refused.text or "")
    url = "https://example.kz/" + "a" * 1900
    # With its kind: a site's address alone is first searched for feeds (test_discovery_bot).
    added = await _answer(harness, harness.operator, chat, f"/addsource {url} 30 listing")
    assert "Source #1 added: https://example.kz/aaa" in (added.text or "")
    assert len(added.text or "") < 400
    await _answer(harness, harness.operator, chat, "/sources")
    removed = await _answer(harness, harness.operator, chat, f"/removesource {url}")
    assert "Source removed" in (removed.text or "")
    _no_errors(caplog)


async def test_search_quotes_the_query_it_found_nothing_for(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    user, chat = harness.private_chat()
    answer = await _answer(harness, user, chat, "/search zzqq\u202e\x07 <b>")
    assert "Nothing found for «zzqq\ufffd &lt;b&gt;»" in (answer.raw_text or "")
    _no_errors(caplog)


async def test_long_keywords_in_settings_stay_within_one_message(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    user, chat = harness.private_chat()
    for batch in range(4):
        quoted = " ".join(f'"{batch}{n:02d}' + "ш" * 60 + '"' for n in range(30))
        await _answer(harness, user, chat, f"/subscribe {quoted}")
    async with harness.database.read() as session:
        assert len(await chat_queries.subscriptions_of(session, chat_id=chat.id)) == 120
    await _answer(harness, user, chat, "/start")
    _no_errors(caplog)
