"""Sending one claimed digest: its stored parts in order, each recorded, errors handled by kind."""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot
from telegram.error import TelegramError

from bot.delivery import chat_schedule
from bot.delivery.outcomes import Outcome, error_kind, judge
from bot.digests.chat_digest import Part, from_payload
from bot.domain.plain_text import plain_text
from bot.metrics.registry import METRICS
from bot.services import Services
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
    """Sends claimed digests for one bot; every part's message id is written as it goes."""

    def __init__(self, bot: Bot, services: Services, *, backoff: float = 0.5) -> None:
        self.bot = bot
        self.services = services
        self.backoff = backoff
        self.stopping = False
        self._in_flight: set[int] = set()

    def sending(self, delivery_id: int) -> bool:
        """Whether a digest is being sent here right now (say by /digest)."""
        return delivery_id in self._in_flight

    async def deliver(self, delivery_id: int) -> str:
        """Send what is missing of one rendered digest; the ledger status it ends in.

        A digest already being sent here (say /digest while the tick runs) is left alone.
        """
        if self.sending(delivery_id):
            return ledger.CLAIMED
        self._in_flight.add(delivery_id)
        try:
            return await self._deliver(delivery_id)
        finally:
            self._in_flight.discard(delivery_id)

    async def _deliver(self, delivery_id: int) -> str:
        async with self.services.database.read() as session:
            delivery = await ledger.get(session, delivery_id=delivery_id)
            if delivery is None or delivery.status != ledger.CLAIMED:
                return delivery.status if delivery else "missing"
            chat = await chat_queries.get_chat(session, chat_id=delivery.chat_id)
        if chat is None or chat.blocked:
            await self._finish(delivery_id, ledger.FAILED, error="chat gone or blocked")
            return ledger.FAILED
        parts = from_payload(delivery.payload)
        sent = list(delivery.message_ids or [])
        chat_id, language = delivery.chat_id, chat.language
        if not parts:
            await self._finish(delivery_id, ledger.EMPTY, error=None)
            return ledger.EMPTY
        try:
            for index in range(len(sent), len(parts)):
                if self.stopping:
                    raise Pending("stopping")
                if index:
                    await asyncio.sleep(self.services.settings.chat_part_interval_seconds)
                chat_id, message_id = await self._send(delivery_id, chat_id, parts[index], language)
                sent.append(message_id)
                METRICS.messages_sent.inc()
                await self._record_part(delivery_id, sent)
        except Pending as reason:
            await self._postpone(delivery_id, str(reason))
            return ledger.CLAIMED
        except GiveUp as refusal:
            await self._finish(delivery_id, ledger.FAILED, error=refusal.reason)
            return ledger.FAILED
        await self._finish(delivery_id, ledger.SENT, error=None)
        return ledger.SENT

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

    async def _record_part(self, delivery_id: int, sent: list[int]) -> None:
        now = self.services.clock.now()
        async with self.services.database.write() as session:
            delivery = await ledger.get(session, delivery_id=delivery_id)
            if delivery is not None:
                if delivery.first_sent_at is None and delivery.kind == "scheduled":
                    METRICS.delivery_lag.observe((now - delivery.due_at).total_seconds())
                delivery.message_ids = list(sent)
                delivery.first_sent_at = delivery.first_sent_at or now

    async def _count_possible_repeat(self, delivery_id: int) -> None:
        async with self.services.database.write() as session:
            delivery = await ledger.get(session, delivery_id=delivery_id)
            if delivery is not None:
                delivery.possible_repeats += 1
        METRICS.possible_repeats.inc()

    async def _postpone(self, delivery_id: int, reason: str) -> None:
        async with self.services.database.write() as session:
            delivery = await ledger.get(session, delivery_id=delivery_id)
            if delivery is None:
                return
            delivery.attempts += 1
            delivery.error = reason
            if delivery.attempts >= MAX_ATTEMPTS:
                METRICS.deliveries.labels(status=ledger.FAILED).inc()
                delivery.status = ledger.FAILED
                delivery.finished_at = self.services.clock.now()
        logger.warning("delivery postponed id=%s reason=%s", delivery_id, reason)

    async def _finish(self, delivery_id: int, status: str, *, error: str | None) -> None:
        async with self.services.database.write() as session:
            delivery = await ledger.get(session, delivery_id=delivery_id)
            if delivery is None:
                return
            METRICS.deliveries.labels(status=status).inc()
            delivery.status = status
            delivery.error = error
            delivery.finished_at = self.services.clock.now()
            delivery.payload = None
