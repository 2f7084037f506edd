"""Operators manage sources from Telegram; everyone else sees an unknown command."""

from __future__ import annotations

from bot.chat.notify import tell_operators
from bot.ingest.poller import PollResult
from storage.queries import sources as source_queries
from tests.chat.conftest import Harness


async def test_operators_add_list_poll_and_remove_sources(harness: Harness) -> None:
    chat = harness.emulator.create_private_chat(harness.operator)
    me = harness.operator
    [added] = await harness.say(
        me, chat, "/addsource bundled:enbekshi-qazaq-business-2025-01-13.txt 60 seed"
    )
    assert "Source #1 added" in (added.text or "")
    [polled] = await harness.say(me, chat, "/pollnow 1")
    assert "#1: ok, new 0" in (polled.text or ""), "the harness already ingested the seeds"
    [listing] = await harness.say(me, chat, "/sources")
    assert "#1 [on] seed every 60 min" in (listing.text or "")
    [bad] = await harness.say(me, chat, "/addsource ftp://nope 60 rss")
    assert "not an http(s) address" in (bad.text or "")
    [removed] = await harness.say(me, chat, "/removesource 1")
    assert "Source removed" in (removed.text or "")
    async with harness.database.read() as session:
        assert await source_queries.count_sources(session) == 0


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
