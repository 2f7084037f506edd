"""Scheduled delivery through the emulator: on time, once, across restarts and errors."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.delivery.lease import SenderLease
from bot.delivery.planner import claim_due
from bot.delivery.sender import Sender
from bot.delivery.ticker import DigestTicker
from bot.domain.telegram_html import visible_text
from bot.emulator import Chat, User
from bot.ingest.files import ingest_files
from storage.models import Delivery
from storage.queries import chats as chat_queries
from tests.chat.conftest import TAGGER, Harness

# The harness clock starts at 06:00 UTC = 11:00 in Asia/Almaty on 14 January 2025.


async def _reader(harness: Harness, at: str = "12:00") -> tuple[User, Chat]:
    user, chat = harness.private_chat()
    await harness.say(user, chat, "/subscribe karaganda")
    await harness.say(user, chat, f"/time {at}")
    return user, chat


def _digests(harness: Harness, chat: Chat) -> list[str]:
    return [
        m.raw_text or ""
        for m in harness.emulator.messages_to(chat)
        if "News digest" in (m.raw_text or "")
    ]


async def _ledger(harness: Harness, chat_id: int) -> list[Delivery]:
    async with harness.database.read() as session:
        rows = await session.execute(select(Delivery).where(Delivery.chat_id == chat_id))
        return list(rows.scalars())


async def test_a_digest_arrives_at_its_local_time_not_before_and_once(harness: Harness) -> None:
    _, chat = await _reader(harness, "12:00")  # 07:00 UTC
    harness.clock.set(datetime(2025, 1, 14, 6, 59, 59, tzinfo=UTC))
    assert (await harness.ticker.tick()).claimed == 0
    assert _digests(harness, chat) == []
    harness.clock.set(datetime(2025, 1, 14, 7, 0, 0, tzinfo=UTC))
    report = await harness.ticker.tick()
    assert (report.claimed, report.sent) == (1, 1)
    [digest] = _digests(harness, chat)
    assert "E-commerce is one of the drivers" in visible_text(digest)
    harness.clock.advance(minutes=1)
    assert (await harness.ticker.tick()).claimed == 0
    async with harness.database.read() as session:
        stored = await chat_queries.get_chat(session, chat_id=chat.id)
    assert stored is not None
    assert stored.next_due_at == datetime(2025, 1, 15, 7, 0, tzinfo=UTC)


async def test_after_downtime_one_digest_covers_what_was_missed(
    harness: Harness, tmp_path: Path
) -> None:
    user, chat = await _reader(harness, "12:00")
    await harness.say(user, chat, "/digest")  # today's news delivered: the watermark moves
    page = tmp_path / "later.txt"
    page.write_text(
        "Site\n\nNews\n\nNew bridge in Temirtau 15.01.2025\n"
        "A new bridge was opened in Temirtau, Karaganda region. "
        "Source : https://example.kz/bridge\n",
        encoding="utf-8",
    )
    await ingest_files(
        harness.database,
        [page],
        tagger=TAGGER,
        zone=ZoneInfo("Asia/Almaty"),
        now=datetime(2025, 1, 15, 5, 0, tzinfo=UTC),
        default_language="en",
    )
    harness.clock.set(datetime(2025, 1, 17, 9, 0, tzinfo=UTC))  # the bot was down 3 days
    report = await harness.ticker.tick()
    assert (report.claimed, report.sent) == (1, 1)
    digests = _digests(harness, chat)
    assert len(digests) == 2, "one digest for the missed days, not three"
    assert "New bridge in Temirtau" in visible_text(digests[-1])
    assert "E-commerce" not in visible_text(digests[-1]), "nothing delivered twice"
    async with harness.database.read() as session:
        stored = await chat_queries.get_chat(session, chat_id=chat.id)
    assert stored is not None and stored.next_due_at == datetime(2025, 1, 18, 7, 0, tzinfo=UTC)


async def test_a_claim_left_by_a_crash_is_delivered_after_restart(harness: Harness) -> None:
    _, chat = await _reader(harness, "12:00")
    harness.clock.set(datetime(2025, 1, 14, 7, 0, tzinfo=UTC))
    async with harness.database.write() as session:  # the process dies right after claiming
        await claim_due(
            session, now=harness.clock.now(), limit=10, policy=harness.services.window_policy
        )
    assert _digests(harness, chat) == []
    restarted = DigestTicker(harness.services, Sender(harness.ticker.sender.bot, harness.services))
    report = await restarted.tick()
    assert (report.claimed, report.sent) == (0, 1)
    assert len(_digests(harness, chat)) == 1


async def test_429_and_5xx_storms_lose_nothing(harness: Harness) -> None:
    _, chat = await _reader(harness, "12:00")
    harness.emulator.inject_fault(
        "retry_after", method="sendMessage", chat=chat, times=2, retry_after=1
    )
    harness.emulator.inject_fault("http_error", method="sendMessage", chat=chat, times=2)
    harness.clock.set(datetime(2025, 1, 14, 7, 0, tzinfo=UTC))
    report = await harness.ticker.tick()
    assert report.sent == 1
    assert len(_digests(harness, chat)) == 1
    [row] = await _ledger(harness, chat.id)
    assert row.status == "sent" and row.message_ids and row.payload is None
    assert row.parts_total == len(row.message_ids) == 1


async def test_5xx_that_does_not_end_leaves_the_digest_due(harness: Harness) -> None:
    _, chat = await _reader(harness, "12:00")
    harness.emulator.inject_fault("http_error", method="sendMessage", chat=chat, times=50)
    harness.clock.set(datetime(2025, 1, 14, 7, 0, tzinfo=UTC))
    report = await harness.ticker.tick()
    assert (report.claimed, report.pending) == (1, 1)
    harness.emulator.state.faults.clear()
    harness.clock.advance(minutes=1)
    report = await harness.ticker.tick()
    assert (report.claimed, report.sent) == (0, 1)
    assert len(_digests(harness, chat)) == 1


async def test_a_blocked_chat_is_skipped_then_revived_with_what_it_missed(
    harness: Harness,
) -> None:
    user, chat = await _reader(harness, "12:00")
    harness.emulator.block_bot(user)
    harness.clock.set(datetime(2025, 1, 14, 7, 0, tzinfo=UTC))
    await harness.ticker.tick()
    async with harness.database.read() as session:
        stored = await chat_queries.get_chat(session, chat_id=chat.id)
    assert stored is not None and stored.blocked
    harness.clock.set(datetime(2025, 1, 15, 7, 0, tzinfo=UTC))
    assert (await harness.ticker.tick()).claimed == 0, "a blocked chat is skipped"
    await harness.say(user, chat, "/help")  # writing again unblocks
    harness.clock.set(datetime(2025, 1, 16, 7, 0, tzinfo=UTC))
    report = await harness.ticker.tick()
    assert report.sent == 1
    [digest] = _digests(harness, chat)
    assert "E-commerce is one of the drivers" in visible_text(digest)


async def test_html_that_telegram_refuses_is_sent_again_as_plain_text(harness: Harness) -> None:
    _, chat = await _reader(harness, "12:00")
    harness.clock.set(datetime(2025, 1, 14, 7, 0, tzinfo=UTC))
    async with harness.database.write() as session:
        await claim_due(
            session, now=harness.clock.now(), limit=10, policy=harness.services.window_policy
        )
    async with harness.database.write() as session:
        [row] = list((await session.execute(select(Delivery))).scalars())
        row.payload = [{"thread": None, "name": "", "text": "<b>Broken <i>digest</b>"}]
    await harness.ticker.tick()
    [message] = harness.emulator.messages_to(chat)[-1:]
    assert message.text == "Broken digest" and message.parse_mode is None


async def test_a_second_instance_stands_by_until_the_lease_expires(harness: Harness) -> None:
    first = SenderLease(harness.database, harness.clock, seconds=60)
    second = SenderLease(harness.database, harness.clock, seconds=60)
    assert await first.acquire()
    assert not await second.acquire()
    harness.clock.advance(seconds=30)
    assert await first.acquire(), "renewal by the holder"
    harness.clock.advance(seconds=61)
    assert await second.acquire(), "the holder stopped renewing: take over"
    assert not await first.acquire()
    await second.release()
    assert await first.acquire(), "a released lease is free at once"


async def test_a_timeout_after_delivery_is_one_counted_repeat(harness: Harness) -> None:
    _, chat = await _reader(harness, "12:00")
    harness.services.settings.send_timeout_seconds = 0.3
    harness.emulator.inject_fault(
        "delay", method="sendMessage", chat=chat, times=1, delay=1.0, deliver=True
    )
    harness.clock.set(datetime(2025, 1, 14, 7, 0, tzinfo=UTC))
    report = await harness.ticker.tick()
    assert report.sent == 1
    assert len(_digests(harness, chat)) == 2, "the documented ambiguous repeat"
    [row] = await _ledger(harness, chat.id)
    assert row.possible_repeats == 1 and row.status == "sent"


async def test_more_chats_due_than_one_claim_batch_are_all_sent_in_one_tick(
    harness: Harness,
) -> None:
    """A claim takes CLAIM_BATCH chats; the tick claims the next batch as soon as one is sent,
    instead of leaving the rest for the next tick a minute later."""
    chats = [(await _reader(harness, "12:00"))[1] for _ in range(5)]
    harness.services.settings.claim_batch = 2
    harness.clock.set(datetime(2025, 1, 14, 7, 0, tzinfo=UTC))
    report = await harness.ticker.tick()
    assert (report.claimed, report.sent) == (5, 5)
    assert all(len(_digests(harness, chat)) == 1 for chat in chats)
