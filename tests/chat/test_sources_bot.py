"""Operators manage sources from Telegram; everyone else sees an unknown command."""

from __future__ import annotations

import time

import pytest

from bot.chat.notify import tell_operators
from bot.domain.telegram_html import visible_text
from bot.ingest.source_health import PollResult
from bot.usecases import sources as source_use
from storage.queries import sources as source_queries
from tests.chat.conftest import Harness
from tests.ingest.http_server import endless, running_server

BUNDLED_NAME = "enbekshi-qazaq-business-2025-01-13.txt"


async def test_operators_add_list_poll_and_remove_sources(harness: Harness) -> None:
    chat = harness.emulator.create_private_chat(harness.operator)
    me = harness.operator
    async with harness.database.write() as session:  # the bundled sample, as the CLI adds it
        await source_use.add_source(
            session,
            harness.services,
            url=f"bundled:{BUNDLED_NAME}",
            kind="seed",
            local_files_allowed=True,
        )
    [polled] = await harness.say(me, chat, "/pollnow 1")
    assert "#1: ok, new 0" in (polled.text or ""), "the harness already ingested the seeds"
    [added] = await harness.say(me, chat, "/addsource https://example.kz/rss 30")
    assert "Source #2 added: https://example.kz/rss (rss, every 30 min)" in (added.text or "")
    [listing] = await harness.say(me, chat, "/sources")
    assert "#1 [on] seed every 60 min" in (listing.text or "")
    assert "#2 [on] rss every 30 min" in (listing.text or "")
    [bad] = await harness.say(me, chat, "/addsource ftp://nope 60 rss")
    assert "not an http(s) address" in (bad.text or "")
    for number in (1, 2):
        [removed] = await harness.say(me, chat, f"/removesource {number}")
        assert "Source removed" in (removed.text or "")
    async with harness.database.read() as session:
        assert await source_queries.count_sources(session) == 0


@pytest.mark.parametrize(
    "command",
    [
        "/addsource file:///etc/passwd seed",
        "/addsource /etc/passwd seed",
        "/addsource /etc/passwd 60 rss",
        "/addsource bundled:../../etc/passwd",
        f"/addsource bundled:{BUNDLED_NAME}",
        f"/addsource bundled:{BUNDLED_NAME} 60 seed",
        "/addsource ./seeds/local.txt",
    ],
)
async def test_files_on_the_bots_machine_cannot_be_added_from_telegram(
    harness: Harness, command: str
) -> None:
    chat = harness.emulator.create_private_chat(harness.operator)
    [refused] = await harness.say(harness.operator, chat, command)
    assert refused.text == visible_text(harness.services.texts("en")("sources.web_only"))
    async with harness.database.read() as session:
        assert await source_queries.count_sources(session) == 0


async def test_the_refusal_speaks_the_operators_language(harness: Harness) -> None:
    chat = harness.emulator.create_private_chat(harness.operator)
    await harness.say(harness.operator, chat, "/lang ru")
    [refused] = await harness.say(harness.operator, chat, "/addsource file:///etc/passwd seed")
    assert refused.text == visible_text(harness.services.texts("ru")("sources.web_only"))
    assert refused.text != visible_text(harness.services.texts("en")("sources.web_only"))


async def test_non_operators_get_the_unknown_command_reply(harness: Harness) -> None:
    user, chat = harness.private_chat()
    [unknown] = await harness.say(user, chat, "/frobnicate")
    for command in ("/sources", "/addsource https://x.kz/rss", "/removesource 1", "/pollnow"):
        [answer] = await harness.say(user, chat, command)
        assert answer.text == unknown.text


async def test_operators_are_told_when_a_source_is_paused(harness: Harness) -> None:
    chat = harness.emulator.create_private_chat(harness.operator)
    await tell_operators(
        harness.runtime.sender.bot,
        harness.services,
        PollResult(7, "error", reason="fetch.http_503", paused=True),
    )
    [note] = await harness.emulator.wait_for_messages(chat, 1)
    assert "Source #7 kept failing and is paused" in (note.text or "")
    assert "fetch.http_503" in (note.text or "")


async def test_a_slow_poll_never_holds_up_other_chats(harness: Harness) -> None:
    async with running_server() as feeds:
        feeds.route("/drip.xml", endless(interval=0.5, piece=b"<"))
        me = harness.operator
        chat = harness.emulator.create_private_chat(me)
        [added] = await harness.say(me, chat, f"/addsource {feeds.url('/drip.xml')} 30 rss")
        assert "Source #1 added" in (added.text or "")
        before = len(harness.emulator.messages_to(chat))
        harness.emulator.send_message(me, chat, "/pollnow 1")
        await harness.emulator.wait_for(lambda: bool(feeds.hits("/drip.xml")), 10)
        reader, reader_chat = harness.private_chat("Reader")
        started = time.monotonic()
        [answer] = await harness.say(reader, reader_chat, "/help")
        assert time.monotonic() - started < 1.0, "answered while the poll runs"
        assert "/digest" in (answer.text or "")
        assert len(harness.emulator.messages_to(chat)) == before, "the poll is still running"
        polled = await harness.emulator.wait_for_messages(chat, before + 1, 15)
        assert "#1: error, new 0" in (polled[-1].text or "")
        assert "fetch.timeout" in (polled[-1].text or "") or "poll.deadline" in (
            polled[-1].text or ""
        )
