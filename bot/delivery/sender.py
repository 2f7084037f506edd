"""Sending one claimed digest: its stored parts in order, each recorded, errors handled by kind."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection
from datetime import datetime, timedelta

from telegram import Bot
from telegram.error import TelegramError

from bot.delivery import chat_schedule
from bot.delivery.claims import ReadyRow, ready_rows
from bot.delivery.ledger_writer import LedgerWriter, Progress
from bot.delivery.outcomes import Outcome, error_kind, judge
from bot.delivery.row_lease import RowLeases
from bot.digests.chat_digest import Part
from bot.digests.preview import CompositionCache
from bot.domain.plain_text import plain_text
from bot.metrics.registry import METRICS
from bot.services import Services
from storage.models import Delivery
from storage.queries import chats as chat_queries
from storage.queries import deliveries as ledger

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10  # ticks that may retry a digest whose sends keep failing before it is given up
RETRIES = 3


class Pending(Exception):
    """Nothing more can be sent now; the digest stays claimed and the next tick retries it."""


class GiveUp(Exception):
    """This digest cannot be delivered (blocked, gone, refused); `reason` goes to the ledger."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Sender:
    """Sends claimed digests for one bot; every part's message id is written before the next
    part goes (`ledger_writer`: one group commit for all digests being sent at that moment).

    A row is sent only while this process holds its row lease (`rows`), so instances that
    share the ledger never send one digest at the same time.
    """

    def __init__(self, bot: Bot, services: Services, *, backoff: float = 0.5) -> None:
        self.bot = bot
        self.services = services
        self.backoff = backoff
        self.stopping = False
        settings = services.settings
        self.rows = RowLeases(
            services.database,
            services.clock,
            seconds=settings.lease_seconds,
            margin=settings.send_timeout_seconds,
        )
        self.ledger_writer = LedgerWriter(services.database, services.clock, owner=self.rows.owner)
        self._in_flight: set[int] = set()

    def sending(self, delivery_id: int) -> bool:
        """Whether a digest is being sent here right now (say by /digest)."""
        return delivery_id in self._in_flight

    async def take_batch(
        self, *, alerts: bool, limit: int, skip: Collection[int] = ()
    ) -> list[int]:
        """Up to `limit` free rows (digests, or due alerts) but those in `skip`, marked as
        being sent here; `ready_rows` then `send_ready` each (or `deliver` with `taken`)."""
        taken = await self.rows.take_free(
            alerts=alerts, limit=limit, skip=self._in_flight.union(skip)
        )
        taken = [delivery_id for delivery_id in taken if delivery_id not in self._in_flight]
        self._in_flight.update(taken)  # (SQLite: a /digest may have begun one meanwhile)
        return taken

    async def release(self, delivery_ids: Collection[int]) -> None:
        """Rows taken here that will not be sent now (stopping): free for other instances."""
        self._in_flight.difference_update(delivery_ids)
        await self.rows.release(delivery_ids)

    async def deliver(
        self, delivery_id: int, *, cache: CompositionCache | None = None, taken: bool = False
    ) -> str:
        """Render (if not yet) and send what is missing of one claimed digest or alert; the
        ledger status it ends in. `taken`: the row comes from `take_batch`.

        A row already being sent here (say /digest while the tick runs) or by another
        instance is left alone (CLAIMED).
        """
        if not taken:
            if self.sending(delivery_id):
                return ledger.CLAIMED
            self._in_flight.add(delivery_id)
        try:
            async with self.rows.holding(delivery_id, taken=taken) as ours:
                if not ours:
                    return await self._status(delivery_id)
                ready = await ready_rows(self.services, [delivery_id], cache or CompositionCache())
                return await self._send_ready(ready[delivery_id])
        finally:
            self._in_flight.discard(delivery_id)

    async def send_ready(self, delivery_id: int, ready: ReadyRow | str) -> str:
        """Send a row taken by `take_batch` and made ready by `ready_rows`; its status."""
        try:
            async with self.rows.holding(delivery_id, taken=True) as ours:
                if not ours:
                    return await self._status(delivery_id)
                return await self._send_ready(ready)
        finally:
            self._in_flight.discard(delivery_id)

    async def _status(self, delivery_id: int) -> str:
        async with self.services.database.read() as session:
            delivery = await ledger.get(session, delivery_id=delivery_id)
        return delivery.status if delivery else "missing"

    async def _send_ready(self, ready: ReadyRow | str) -> str:
        if isinstance(ready, str):  # no longer claimed: its status
            return ready
        delivery_id = ready.delivery_id
        if ready.language is None:
            return await self._finish(delivery_id, ledger.FAILED, error="chat gone or blocked")
        if not ready.parts:
            return await self._finish(delivery_id, ledger.EMPTY, error=None)
        sent, chat_id = list(ready.sent), ready.chat_id
        if len(sent) >= len(ready.parts):  # every part went out before a crash
            return await self._finish(delivery_id, ledger.SENT, error=None)
        try:
            for index in range(len(sent), len(ready.parts)):
                if self.stopping:
                    raise Pending("stopping")
                if index:
                    await asyncio.sleep(self.services.settings.chat_part_interval_seconds)
                if self.rows.lost(delivery_id):
                    logger.warning("row lease lost, sending stops delivery=%s", delivery_id)
                    return ledger.CLAIMED  # another instance's row now: it writes, not us
                part = ready.parts[index]
                chat_id, message_id = await self._send(delivery_id, chat_id, part, ready.language)
                sent.append(message_id)
                METRICS.messages_sent.inc()
                if not await self._record(ready, sent):
                    logger.warning("row taken over, sending stops delivery=%s", delivery_id)
                    return ledger.CLAIMED
        except Pending as reason:
            await self._postpone(delivery_id, str(reason))
            return ledger.CLAIMED
        except GiveUp as refusal:
            return await self._finish(delivery_id, ledger.FAILED, error=refusal.reason)
        return ledger.SENT

    async def _record(self, ready: ReadyRow, sent: list[int]) -> bool:
        """Write the message ids sent so far, the row's end with its last part; False when
        the row is no longer ours."""
        last = len(sent) == len(ready.parts)
        progress = Progress(
            ready.delivery_id, message_ids=tuple(sent), status=ledger.SENT if last else None
        )
        if not await self.ledger_writer.write(progress):
            return False
        first = ready.first_sent_at is None and len(sent) == len(ready.sent) + 1
        if first and ready.kind == "scheduled":
            now = self.services.clock.now()
            METRICS.delivery_lag.observe((now - ready.due_at).total_seconds())
        if last:
            METRICS.deliveries.labels(status=ledger.SENT).inc()
        return True

    async def _send(
        self, delivery_id: int, chat_id: int, part: Part, language: str
    ) -> tuple[int, int]:
        """Send one part, handling each kind of error; the chat id used and the message id."""
        text, thread = part.text, part.thread_id
        parse_mode: str | None = "HTML"
        retries = ambiguous = 0
        while True:
            try:
                with METRICS.send_seconds.time():
                    message = await self.bot.send_message(
                        chat_id,
                        text,
                        message_thread_id=thread,
                        parse_mode=parse_mode,
                        allow_paid_broadcast=self.services.settings.paid_broadcast or None,
                        read_timeout=self.services.settings.send_timeout_seconds,
                    )
                return chat_id, message.message_id
            except TelegramError as error:
                verdict = judge(error)
                METRICS.telegram_errors.labels(kind=error_kind(verdict)).inc()
                outcome = verdict.outcome
                if outcome is Outcome.WAIT:
                    await asyncio.sleep(verdict.wait_seconds)
                elif outcome is Outcome.RETRY:
                    retries += 1
                    if retries > RETRIES:
                        raise Pending(f"network: {error.message}") from error
                    await asyncio.sleep(self.backoff * 2 ** (retries - 1))
                elif outcome is Outcome.AMBIGUOUS:
                    ambiguous += 1
                    await self._count_possible_repeat(delivery_id)
                    logger.warning(
                        "send timed out, may be a repeat delivery=%s chat=%s", delivery_id, chat_id
                    )
                    if ambiguous > 1:
                        raise Pending("timed out twice") from error
                elif outcome is Outcome.MIGRATED and verdict.new_chat_id is not None:
                    chat_id = await self._migrate(delivery_id, chat_id, verdict.new_chat_id)
                elif outcome is Outcome.UNPARSEABLE and parse_mode is not None:
                    logger.error(
                        "digest refused as HTML, sent as plain text delivery=%s: %s",
                        delivery_id,
                        error.message,
                    )
                    text, parse_mode = plain_text(text), None
                elif outcome is Outcome.TOPIC_GONE and thread is not None:
                    note = self.services.texts(language)(
                        "forum.topic_gone", name=part.thread_name or str(thread)
                    )
                    await self.bot.send_message(chat_id, note)
                    thread = None
                elif outcome in (Outcome.BLOCKED, Outcome.GONE):
                    await self._block(chat_id)
                    raise GiveUp(outcome.value) from error
                else:
                    raise GiveUp(f"refused: {error.message}") from error

    async def _migrate(self, delivery_id: int, old_id: int, new_id: int) -> int:
        async with self.services.database.write() as session:
            await chat_queries.migrate_chat(session, old_id=old_id, new_id=new_id)
        logger.info("chat migrated while sending old=%s new=%s", old_id, new_id)
        return new_id

    async def _block(self, chat_id: int) -> None:
        async with self.services.database.write() as session:
            chat = await chat_queries.get_chat(session, chat_id=chat_id)
            if chat is not None:
                chat_schedule.set_reachable(chat, False, self.services.clock.now())

    async def _count_possible_repeat(self, delivery_id: int) -> None:
        async with self.services.database.write() as session:
            delivery = await ledger.get(session, delivery_id=delivery_id)
            if delivery is not None:
                delivery.possible_repeats += 1
        METRICS.possible_repeats.inc()

    async def _postpone(self, delivery_id: int, reason: str) -> None:
        """Count the attempt; the row rests a tick before any instance retries it (stopping,
        it is free at once for the instances that go on)."""
        async with self.services.database.write() as session:
            delivery = await ledger.owned(
                session, delivery_id=delivery_id, sender_id=self.rows.owner
            )
            if delivery is None:
                return
            delivery.attempts += 1
            delivery.error = reason
            delivery.sender_id = None
            delivery.sender_until = self._rest_until(delivery)
            if delivery.attempts >= MAX_ATTEMPTS:
                METRICS.deliveries.labels(status=ledger.FAILED).inc()
                delivery.status = ledger.FAILED
                delivery.finished_at = self.services.clock.now()
        logger.warning("delivery postponed id=%s reason=%s", delivery_id, reason)

    def _rest_until(self, delivery: Delivery) -> datetime | None:
        """Until when a postponed row rests: one tick of its kind; not at all when this
        sender stops (the instances that go on may take it at once)."""
        if self.stopping:
            return None
        settings = self.services.settings
        alert = delivery.kind == ledger.ALERT
        tick = settings.alert_tick_seconds if alert else settings.digest_tick_seconds
        return self.services.clock.now() + timedelta(seconds=tick)

    async def _finish(self, delivery_id: int, status: str, *, error: str | None) -> str:
        """End the row in `status`, which is returned; CLAIMED (nothing written) when the row
        is no longer ours."""
        if not await self.ledger_writer.write(Progress(delivery_id, status=status, error=error)):
            return ledger.CLAIMED
        METRICS.deliveries.labels(status=status).inc()
        return status
