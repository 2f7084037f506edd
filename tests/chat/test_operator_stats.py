"""/stats and /stats chart through the real Application and the emulator, over a real ledger."""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta

from bot.emulator import Chat, ChatMessage, User
from storage.models import Source
from storage.queries import sources as source_queries
from tests.chat.conftest import Harness

PNG = b"\x89PNG\r\n\x1a\n"
# The harness clock starts at 06:00 UTC = 11:00 in Asia/Almaty on 14 January 2025.
DUE = datetime(2025, 1, 14, 7, 0, tzinfo=UTC)  # a 12:00 digest


async def _reader(harness: Harness, name: str) -> tuple[User, Chat]:
    user, chat = harness.private_chat(name)
    await harness.say(user, chat, "/subscribe karaganda")
    await harness.say(user, chat, "/time 12:00")
    return user, chat


async def _one_late_digest(harness: Harness) -> None:
    """A reader whose 12:00 digest goes out 7 seconds late, and one who paused."""
    await _reader(harness, "Alice")
    bob, bob_chat = await _reader(harness, "Bob")
    await harness.say(bob, bob_chat, "/pause")
    harness.clock.set(DUE + timedelta(seconds=7))
    report = await harness.ticker.tick()
    assert (report.claimed, report.sent) == (1, 1)


async def _sources(harness: Harness) -> None:
    """One healthy source, one failing, one paused after failing."""
    now = harness.clock.now()
    async with harness.database.write() as session:
        for number, (enabled, failures) in enumerate([(True, 0), (True, 2), (False, 8)]):
            url = f"https://example.kz/{number}.rss"
            source = Source(kind="rss", url=url, created_at=now, enabled=enabled)
            source.consecutive_failures = failures
            await source_queries.add(session, source=source)


async def _ask(harness: Harness, text: str) -> ChatMessage:
    chat = harness.emulator.create_private_chat(harness.operator)
    [answer] = await harness.say(harness.operator, chat, text)
    return answer


async def test_stats_counts_the_last_24_hours(harness: Harness) -> None:
    await _one_late_digest(harness)
    await _sources(harness)
    text = (await _ask(harness, "/stats")).text or ""
    assert text.startswith("Statistics, last 24 hours")
    assert "Chats: 2 (active 1, paused 1, blocked 0)" in text
    assert "Karaganda region 2" in text
    assert "Digests: 1 sent, 0 empty, 0 failed; 1 messages, 0 possible repeats" in text
    assert "Digests due now: 0" in text
    assert "Delivery lag: average 7 s, p95 7 s, worst 7 s" in text
    assert "Sources: 1 healthy, 1 failing, 1 paused" in text
    assert "Articles ingested: 20" in text  # the bundled sample, ingested at 06:00


async def test_a_day_later_the_counts_are_gone_and_the_states_stay(harness: Harness) -> None:
    await _one_late_digest(harness)
    harness.clock.set(DUE + timedelta(hours=24, seconds=8))
    text = (await _ask(harness, "/stats")).text or ""
    assert "Digests: 0 sent, 0 empty, 0 failed; 0 messages" in text
    assert "Delivery lag: average 0 s, p95 0 s, worst 0 s" in text
    assert "Articles ingested: 0" in text
    assert "Chats: 2 (active 1, paused 1, blocked 0)" in text


async def test_stats_speaks_the_operators_language(harness: Harness) -> None:
    chat = harness.emulator.create_private_chat(harness.operator)
    await harness.say(harness.operator, chat, "/lang kk")
    [answer] = await harness.say(harness.operator, chat, "/stats")
    assert (answer.text or "").startswith("Соңғы 24 сағаттағы статистика")


async def test_stats_chart_is_a_photo_of_the_hours(harness: Harness) -> None:
    await _one_late_digest(harness)
    answer = await _ask(harness, "/stats chart")
    assert answer.text is None and answer.photo is not None
    data = answer.photo.data
    assert data.startswith(PNG)
    assert struct.unpack(">II", data[16:24]) == (800, 400)
    assert (answer.photo.width, answer.photo.height) == (800, 400)
    assert 5_000 < len(data) < 100_000, len(data)
    # 12:00:07 in Almaty: the chart's 24 hours are 13:00 yesterday to the end of this hour.
    assert answer.caption == (
        "Deliveries and lag per hour, the 24 hours to 13:00 (Asia/Almaty): 1 sent, 0 failed."
    )


async def test_only_operators_get_the_chart(harness: Harness) -> None:
    user, chat = harness.private_chat()
    [refused] = await harness.say(user, chat, "/stats chart")
    [unknown] = await harness.say(user, chat, "/frobnicate")
    assert refused.photo is None and refused.text == unknown.text
