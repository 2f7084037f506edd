"""Sending one claimed digest: its stored parts in order, each recorded, errors handled by kind."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection
from datetime import datetime, timedelta

from telegram import Bot
from telegram.error import TelegramError

from bot.delivery import chat_schedule
from bot.delivery.claims import render_claim
from bot.delivery.outcomes import Outcome, error_kind, judge
from bot.delivery.row_lease import RowLeases
from bot.digests.chat_digest import Part, from_payload
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
    """Sends claimed digests for one bot; every part's message id is written as it goes.

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
        self._in_flight: set[int] = set()

    def sending(self, delivery_id: int) -> bool:
        """Whether a digest is being sent here right now (say by /digest)."""
        return delivery_id in self._in_flight

    async def take_next(self, *, alerts: bool, skip: Collection[int] = ()) -> int | None:
        """The next free row (digests, or due alerts) but those in `skip`, marked as being
        sent here; `deliver` it with `taken=True`. None when none is free."""
        while True:
            delivery_id = await self.rows.take_next(alerts=alerts, skip=self._in_flight.union(skip))
            if delivery_id is None or delivery_id not in self._in_flight:
                break  # else another worker here read the same row meanwhile (SQLite): next
        if delivery_id is not None:
            self._in_flight.add(delivery_id)
        return delivery_id

    async def deliver(
        self, delivery_id: int, *, cache: CompositionCache | None = None, taken: bool = False
    ) -> str:
        """Render (if not yet) and send what is missing of one claimed digest or alert; the
        ledger status it ends in. `taken`: the row comes from `take_next`.

        A row already being sent here (say /digest while the tick runs) or by another
        instance is left alone (CLAIMED); chats delivered together may share one `cache`.
        """
        if not taken:
            if self.sending(delivery_id):
                return ledger.CLAIMED
            self._in_flight.add(delivery_id)
        try:
            async with self.rows.holding(delivery_id, taken=taken) as ours:
                if not ours:
                    return await self._status(delivery_id)
                await render_claim(self.services, delivery_id, cache or CompositionCache())
                return await self._deliver(delivery_id)
        finally:
            self._in_flight.discard(delivery_id)

    async def _status(self, delivery_id: int) -> str:
        async with self.services.database.read() as session:
            delivery = await ledger.get(session, delivery_id=delivery_id)
        return delivery.status if delivery else "missing"

    async def _deliver(self, delivery_id: int) -> str:
        async with self.services.database.read() as session:
            delivery = await ledger.get(session, delivery_id=delivery_id)
            if delivery is None or delivery.status != ledger.CLAIMED:
                return delivery.status if delivery else "missing"
            chat = await chat_queries.get_chat(session, chat_id=delivery.chat_id)
        if chat is None or chat.blocked:
            return await self._finish(delivery_id, ledger.FAILED, error="chat gone or blocked")
        parts = from_payload(delivery.payload)
        sent = list(delivery.message_ids or [])
        chat_id, language = delivery.chat_id, chat.language
        if not parts:
            return await self._finish(delivery_id, ledger.EMPTY, error=None)
        try:
            for index in range(len(sent), len(parts)):
                if self.stopping:
                    raise Pending("stopping")
                if index:
                    await asyncio.sleep(self.services.settings.chat_part_interval_seconds)
                if self.rows.lost(delivery_id):
                    logger.warning("row lease lost, sending stops delivery=%s", delivery_id)
                    return ledger.CLAIMED  # another instance's row now: it writes, not us
                chat_id, message_id = await self._send(delivery_id, chat_id, parts[index], language)
                sent.append(message_id)
                METRICS.messages_sent.inc()
                if not await self._record_part(delivery_id, sent):
                    logger.warning("row taken over, sending stops delivery=%s", delivery_id)
                    return ledger.CLAIMED
        except Pending as reason:
            await self._postpone(delivery_id, str(reason))
            return ledger.CLAIMED
        except GiveUp as refusal:
            return await self._finish(delivery_id, ledger.FAILED, error=refusal.reason)
        return await self._finish(delivery_id, ledger.SENT, error=None)

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

    async def _record_part(self, delivery_id: int, sent: list[int]) -> bool:
        """Write the message ids sent so far; False when the row is no longer ours."""
        now = self.services.clock.now()
        async with self.services.database.write() as session:
            delivery = await ledger.owned(
                session, delivery_id=delivery_id, sender_id=self.rows.owner
            )
            if delivery is None:
                return False
            if delivery.first_sent_at is None and delivery.kind == "scheduled":
                METRICS.delivery_lag.observe((now - delivery.due_at).total_seconds())
            delivery.message_ids = list(sent)
            delivery.first_sent_at = delivery.first_sent_at or now
        return True

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
        async with self.services.database.write() as session:
            delivery = await ledger.owned(
                session, delivery_id=delivery_id, sender_id=self.rows.owner
            )
            if delivery is None:
                return ledger.CLAIMED
            METRICS.deliveries.labels(status=status).inc()
            delivery.status = status
            delivery.error = error
            delivery.finished_at = self.services.clock.now()
            delivery.payload = None
            delivery.sender_until = None
        return status
