"""Instances sharing one ledger: claims skip chats another instance is claiming (PostgreSQL row
locks), and a claimed row is sent by the one instance that holds its row lease until it is
finished, or until the lease of a killed instance passes."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text, update
from sqlmodel import col
from telegram import Bot

from bot.delivery.alerts import AlertReport
from bot.delivery.planner import claim_due
from bot.delivery.row_lease import RowLeases
from bot.delivery.sender import Sender
from bot.delivery.ticker import DigestTicker, TickReport
from bot.delivery.workers import drain
from bot.digests.chat_digest import Part, to_payload
from bot.digests.window import WindowPolicy
from bot.emulator import Emulator, FloodLimits
from bot.i18n import default_translator
from bot.services import Services
from bot.settings import Settings
from storage.engine import Database
from storage.models import Chat, Delivery
from storage.queries import deliveries as ledger
from tests.chat.conftest import TAGGER
from tests.clocks import SteppingClock

NOW = datetime(2026, 12, 8, 3, 0, tzinfo=UTC)  # 08:00 in Asia/Almaty
POLICY = WindowPolicy()
LEASE = timedelta(seconds=30)


async def add_due_chats(database: Database, count: int, *, due: datetime = NOW) -> list[int]:
    ids = list(range(1, count + 1))
    async with database.write() as session:
        for chat_id in ids:
            session.add(Chat(id=chat_id, next_due_at=due, created_at=NOW, updated_at=NOW))
    return ids


async def claimed_chats(database: Database) -> list[int]:
    async with database.read() as session:
        rows = await session.execute(select(Delivery))
        return sorted(delivery.chat_id for delivery in rows.scalars())


def postgres_only(database: Database) -> None:
    if database.dialect != "postgresql":
        pytest.skip("row locks with SKIP LOCKED: PostgreSQL (SQLite serialises its writers)")


async def test_a_claim_skips_the_chats_another_instance_is_claiming(database: Database) -> None:
    postgres_only(database)
    await add_due_chats(database, 4)
    async with database.write() as first:
        mine = await ledger.due_chats(first, now=NOW, limit=2)
        async with database.write() as second:  # another instance, while the first claims
            theirs = await ledger.due_chats(second, now=NOW, limit=10)
    assert [chat.id for chat in mine] == [1, 2]
    assert [chat.id for chat in theirs] == [3, 4], "locked rows skipped, not waited for"


async def test_a_short_claim_waits_for_the_claim_in_flight_and_then_finds_its_rows(
    database: Database,
) -> None:
    """An instance whose claim came back short (the chats were being claimed by another)
    waits for that claim before it drains, so it shares the rows instead of leaving them all
    to the other instance at half the rate."""
    postgres_only(database)
    await add_due_chats(database, 4)
    async with database.write() as first:  # another instance's claim, still open
        assert await claim_due(first, now=NOW, limit=4, policy=POLICY) == 4
        async with database.write() as second:
            assert await ledger.due_chats(second, now=NOW, limit=10) == []  # came back short
        waiting = asyncio.create_task(_wait_for_claims(database))
        await _until_a_session_waits_for_a_lock(database)
        assert not waiting.done()
    await asyncio.wait_for(waiting, 10)  # the claim committed: the wait ends, holding nothing
    async with database.read() as session:
        assert len(await ledger.free_rows(session, alerts=False, now=NOW, limit=10)) == 4


async def test_a_claim_left_open_ends_the_wait_after_its_timeout(database: Database) -> None:
    """A claim whose instance froze mid-transaction holds up the others' drains for the
    timeout at the most: they send what they have."""
    postgres_only(database)
    await add_due_chats(database, 2)
    async with database.write() as first:  # stays open for the whole wait
        assert await claim_due(first, now=NOW, limit=2, policy=POLICY) == 2
        await asyncio.wait_for(_wait_for_claims(database, seconds=0.2), 10)
        async with database.read() as session:  # the waiting transaction ended cleanly
            assert await ledger.free_rows(session, alerts=False, now=NOW, limit=10) == []


async def _wait_for_claims(database: Database, seconds: float = 5) -> None:
    async with database.write() as session:
        await ledger.wait_for_claims(session, now=NOW, seconds=seconds)


async def _until_a_session_waits_for_a_lock(database: Database) -> None:
    """Until PostgreSQL shows a session of this database waiting on a row lock (5 s at most)."""
    for _ in range(500):
        async with database.read() as session:
            found = await session.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'"
                )
            )
            if found.scalar_one():
                return
        await asyncio.sleep(0.01)
    raise AssertionError("no session waited for the open claim")


async def test_on_sqlite_waiting_for_claims_returns_at_once(database: Database) -> None:
    if database.dialect != "sqlite":
        pytest.skip("SQLite: writers queue, no claim is ever in flight beside another")
    await add_due_chats(database, 2)
    await asyncio.wait_for(_wait_for_claims(database), 5)


async def test_instances_claiming_at_once_claim_each_chat_once(database: Database) -> None:
    await add_due_chats(database, 30)

    async def claim(limit: int) -> int:
        async with database.write() as session:
            return await claim_due(session, now=NOW, limit=limit, policy=POLICY)

    counts = await asyncio.gather(*(claim(12) for _ in range(4)))
    assert sum(counts) == 30
    assert await claimed_chats(database) == list(range(1, 31))


async def test_a_taken_row_is_not_taken_again_until_its_lease_passes(database: Database) -> None:
    await add_due_chats(database, 2)
    async with database.write() as session:
        await claim_due(session, now=NOW, limit=10, policy=POLICY)
    async with database.write() as session:
        first = await ledger.take_free(
            session, alerts=False, sender_id="a", now=NOW, until=NOW + LEASE, limit=1
        )
        if database.dialect == "postgresql":
            async with database.write() as other:  # the first take is not committed yet
                second = await ledger.take_free(
                    other, alerts=False, sender_id="b", now=NOW, until=NOW + LEASE, limit=1
                )
            assert (first, second) == ([1], [2]), "a row being taken is skipped"
    async with database.write() as session:
        assert not await ledger.take(
            session, delivery_id=1, sender_id="b", now=NOW, until=NOW + LEASE
        ), "held by a"
        assert await ledger.take(
            session, delivery_id=1, sender_id="a", now=NOW, until=NOW + LEASE
        ), "its holder keeps it"
        later = NOW + LEASE  # a was killed: its lease passed
        assert await ledger.take(
            session, delivery_id=1, sender_id="b", now=later, until=later + LEASE
        )


async def test_row_leases_hold_a_row_for_one_sender_and_renew_it(database: Database) -> None:
    postgres_only(database)
    await add_due_chats(database, 1)
    async with database.write() as session:
        await claim_due(session, now=NOW, limit=10, policy=POLICY)
    clock = SteppingClock(NOW)
    mine = RowLeases(database, clock, seconds=0.3)  # renewed every 0.1 s
    theirs = RowLeases(database, clock, seconds=0.3)
    assert await mine.take_free(alerts=False, limit=1) == [1]
    assert await theirs.take_free(alerts=False, limit=1) == []
    async with mine.holding(1, taken=True) as held:
        assert held
        clock.advance(seconds=0.2)
        async with theirs.holding(1) as stolen:
            assert not stolen
        await asyncio.sleep(0.25)  # one renewal (real time: the renewal's own timer)
        clock.advance(seconds=0.2)  # past the first lease, within the renewed one
        async with theirs.holding(1) as stolen:
            assert not stolen, "renewed while sending"
    clock.advance(seconds=1)  # the holder is gone (killed): the row is free again
    async with theirs.holding(1) as taken:
        assert taken


async def test_alerts_are_taken_only_when_due_and_digests_apart(database: Database) -> None:
    await add_due_chats(database, 1)
    async with database.write() as session:
        session.add(
            Delivery(
                chat_id=1,
                due_at=NOW + timedelta(hours=1),  # held through quiet hours
                kind=ledger.ALERT,
                claimed_at=NOW,
                story_id=7,
                article_id=7,
            )
        )
    async with database.write() as session:
        taken = {"sender_id": "a", "limit": 1}
        assert (
            await ledger.take_free(session, alerts=True, now=NOW, until=NOW + LEASE, **taken) == []
        )
        assert (
            await ledger.take_free(session, alerts=False, now=NOW, until=NOW + LEASE, **taken) == []
        ), "an alert is never taken as a digest"
        later = NOW + timedelta(hours=1)
        assert await ledger.take_free(
            session, alerts=True, now=later, until=later + LEASE, **taken
        ) == [1]


async def test_a_row_whose_renewal_finds_it_taken_is_lost(database: Database) -> None:
    postgres_only(database)
    await add_due_chats(database, 1)
    async with database.write() as session:
        await claim_due(session, now=NOW, limit=10, policy=POLICY)
    clock = SteppingClock(NOW)
    mine = RowLeases(database, clock, seconds=30, margin=5)
    theirs = RowLeases(database, clock, seconds=30, margin=5)
    assert await mine.take_free(alerts=False, limit=1) == [1]
    assert await mine.renew(1)
    assert not mine.lost(1)
    clock.advance(seconds=25)  # renewals failed (say the database was away): within the margin
    assert mine.lost(1), "a part started now could outlive the lease"
    clock.advance(seconds=5)
    async with theirs.holding(1) as taken:
        assert taken
        assert not await mine.renew(1), "the row is theirs now"
        clock.set(NOW + timedelta(seconds=31))
        assert mine.lost(1)
        async with database.write() as session:
            assert await ledger.owned(session, delivery_id=1, sender_id=mine.sender_id) is None
            assert await ledger.owned(session, delivery_id=1, sender_id=theirs.sender_id)


@contextlib.asynccontextmanager
async def one_sender(
    database: Database, clock: SteppingClock, parts: int = 2
) -> AsyncIterator[tuple[Sender, Emulator, int]]:
    """A sender to the emulator, and one claimed, rendered digest of `parts` parts (id 1)."""
    async with Emulator(flood=FloodLimits(enabled=False)) as emulator:
        chat = emulator.create_private_chat(emulator.create_user("Alice", language_code="en"))
        settings = Settings(
            _env_file=None,
            telegram_bot_token=emulator.token,
            telegram_api_base_url=emulator.base_url,
            chat_part_interval_seconds=0,
            lease_seconds=30,
            send_timeout_seconds=5,
        )
        services = Services(database, clock, settings, default_translator(), TAGGER)
        async with database.write() as session:
            session.add(Chat(id=chat.id, created_at=NOW, updated_at=NOW))
            await session.flush()
            texts = [Part(None, "", f"part {index}") for index in range(parts)]
            session.add(
                Delivery(
                    chat_id=chat.id,
                    due_at=NOW,
                    claimed_at=NOW,
                    payload=to_payload(texts),
                    parts_total=parts,
                )
            )
        async with Bot(emulator.token, base_url=emulator.base_url) as bot:
            yield Sender(bot, services, backoff=0.01), emulator, chat.id


async def _row(database: Database) -> Delivery:
    async with database.read() as session:
        delivery = await ledger.get(session, delivery_id=1)
    assert delivery is not None
    return delivery


async def test_a_row_that_waited_past_its_lease_and_was_taken_is_not_sent(
    database: Database,
) -> None:
    """A row waits in the queue after its batch was taken; its lease passed meanwhile (a long
    RetryAfter, say) and another instance took it: this sender sends and writes nothing."""
    postgres_only(database)
    clock = SteppingClock(NOW)
    async with one_sender(database, clock) as (sender, emulator, chat_id):
        assert await sender.take_batch(alerts=False, limit=1) == [1]
        clock.advance(seconds=31)  # past the 30 s lease
        async with database.write() as session:
            later = clock.now()
            assert await ledger.take(
                session, delivery_id=1, sender_id="theirs", now=later, until=later + LEASE
            )
        assert await sender.deliver(1, taken=True) == ledger.CLAIMED
        assert emulator.messages_to(chat_id) == []
        row = await _row(database)
        assert (row.attempts, row.sender_id) == (0, "theirs"), "nothing written"


async def test_a_row_that_waited_a_third_of_its_lease_is_renewed_before_it_is_sent(
    database: Database,
) -> None:
    postgres_only(database)
    clock = SteppingClock(NOW)
    async with one_sender(database, clock, parts=1) as (sender, emulator, chat_id):
        assert await sender.take_batch(alerts=False, limit=1) == [1]
        clock.advance(seconds=26)  # 4 s of the lease left: within the send timeout's margin
        assert await sender.deliver(1, taken=True) == ledger.SENT
        assert len(emulator.messages_to(chat_id)) == 1


async def test_a_sender_whose_row_was_taken_over_stops_without_writing(
    database: Database,
) -> None:
    postgres_only(database)
    clock = SteppingClock(NOW)
    async with one_sender(database, clock) as (sender, emulator, chat_id):
        assert await sender.take_batch(alerts=False, limit=1) == [1]
        async with database.write() as session:  # another instance took it (a stale lease)
            await session.execute(
                update(Delivery).where(col(Delivery.id) == 1).values(sender_id="theirs")
            )
        assert await sender.deliver(1, taken=True) == ledger.CLAIMED
        assert len(emulator.messages_to(chat_id)) == 1, "the part on its way, then no more"
        row = await _row(database)
        assert (row.message_ids, row.status, row.sender_id) == ([], ledger.CLAIMED, "theirs")


async def test_sqlite_sends_with_no_lease_writes(database: Database) -> None:
    if database.dialect != "sqlite":
        pytest.skip("SQLite: one sending instance, no row leases")
    clock = SteppingClock(NOW)
    async with one_sender(database, clock, parts=1) as (sender, emulator, chat_id):
        assert await sender.take_batch(alerts=False, limit=1) == [1]
        assert (await _row(database)).sender_until is None, "only read"
        assert await sender.take_batch(alerts=False, limit=1) == [], "being sent here: skipped"
        async with sender.rows.holding(1) as held:
            assert held
        assert (await _row(database)).sender_id is None
        assert await sender.deliver(1, taken=True) == ledger.SENT
        assert len(emulator.messages_to(chat_id)) == 1


async def test_a_failing_row_stops_no_other_worker(database: Database) -> None:
    clock = SteppingClock(NOW)
    async with one_sender(database, clock, parts=1) as (sender, emulator, chat_id):
        async with database.write() as session:  # row 1 now breaks its sender; row 2 is fine
            broken = await ledger.get(session, delivery_id=1)
            assert broken is not None
            broken.payload = ["not a part"]  # type: ignore[list-item]
            session.add(
                Delivery(
                    chat_id=chat_id,
                    due_at=NOW + timedelta(seconds=1),
                    kind="manual",
                    claimed_at=NOW,
                    payload=to_payload([Part(None, "", "fine")]),
                    parts_total=1,
                )
            )
        outcomes = await drain(sender, alerts=False, budget=2, workers=2)
        assert outcomes == {ledger.SENT: 1}, "the sibling finished before drain returned"
        assert len(emulator.messages_to(chat_id)) == 1
        assert not sender.sending(1) and not sender.sending(2)


async def test_a_tick_that_waited_for_the_running_one_claims_nothing_after_sigterm(
    database: Database,
) -> None:
    clock = SteppingClock(NOW)
    async with one_sender(database, clock) as (sender, _, _):
        async with database.write() as session:
            session.add(Chat(id=-5, next_due_at=NOW, created_at=NOW, updated_at=NOW))
        ticker = DigestTicker(sender.services, sender)
        async with ticker._lock:  # a digest tick runs
            digests = asyncio.create_task(ticker.tick())
            async with ticker.alerts._lock:  # and an alert tick
                alerts = asyncio.create_task(ticker.alerts.tick())
                await asyncio.sleep(0.01)  # both wait for the running ones
                sender.stopping = True  # SIGTERM
        assert await digests == TickReport()
        assert await alerts == AlertReport()
        assert await claimed_chats(database) == [(await _row(database)).chat_id], "no new claim"
