"""The delivery ledger: what each chat received, and its watermark into the article sequence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Chat, Delivery

CLAIMED = "claimed"
SENT = "sent"
EMPTY = "empty"
FAILED = "failed"
FINISHED = (SENT, EMPTY, FAILED)  # the statuses a delivery ends in
# A claimed window counts too, so two runs never send the same articles; a claim that
# fails is marked FAILED and its articles come again.
DELIVERED = (CLAIMED, SENT, EMPTY)
# An urgent alert's row (storage/queries/alerts.py): no article window, so it never moves a
# chat's watermark, and the digest tick neither sends it nor counts it as a digest.
ALERT = "alert"


async def watermark(session: AsyncSession, *, chat_id: int) -> int | None:
    """The last article id a chat's digests covered; None before its first digest."""
    return (await watermarks(session, chat_ids=[chat_id])).get(chat_id)


async def last_delivered(session: AsyncSession, *, chat_id: int) -> Delivery | None:
    """The chat's most recent digest that was sent (for `/why n`)."""
    rows = await session.execute(
        select(Delivery)
        .where(col(Delivery.chat_id) == chat_id)
        .where(col(Delivery.kind) != ALERT)
        .where(col(Delivery.status) == SENT)
        .order_by(col(Delivery.window_end_id).desc(), col(Delivery.id).desc())
        .limit(1)
    )
    return rows.scalars().first()


async def record_delivery(session: AsyncSession, *, delivery: Delivery) -> Delivery:
    """Add a ledger row (the caller decides its status)."""
    session.add(delivery)
    await session.flush()
    return delivery


@dataclass(frozen=True, slots=True)
class DueChat:
    """A chat whose digest is due, with what is needed to claim it and reschedule it."""

    id: int
    next_due_at: datetime
    digest_time: str
    timezone: str
    frequency: str
    weekly_day: int | None


async def due_chats(session: AsyncSession, *, now: datetime, limit: int) -> list[DueChat]:
    """Chats due at `now`, most overdue first (paused and blocked chats are skipped)."""
    rows = await session.execute(
        select(
            col(Chat.id),
            col(Chat.next_due_at),
            col(Chat.digest_time),
            col(Chat.timezone),
            col(Chat.frequency),
            col(Chat.weekly_day),
        )
        .where(col(Chat.next_due_at) <= now)
        .where(col(Chat.paused).is_(False))
        .where(col(Chat.blocked).is_(False))
        .order_by(col(Chat.next_due_at), col(Chat.id))
        .limit(limit)
    )
    return [
        DueChat(chat_id, due, digest_time, zone, frequency, weekly_day)
        for chat_id, due, digest_time, zone, frequency, weekly_day in rows
        if due is not None
    ]


async def watermarks(session: AsyncSession, *, chat_ids: Sequence[int]) -> dict[int, int]:
    """Each chat's watermark: the end of its last delivered window.

    A chat whose digests all failed (blocked, say) keeps the start of its first window, so
    once it is reachable again its next digest covers what it missed (within the age limit).
    Chats that never had a digest are absent.
    """
    delivered = case((col(Delivery.status).in_(DELIVERED), col(Delivery.window_end_id)))
    found: dict[int, int] = {}
    for start in range(0, len(chat_ids), 500):
        rows = await session.execute(
            select(
                col(Delivery.chat_id), func.max(delivered), func.min(col(Delivery.window_start_id))
            )
            .where(col(Delivery.chat_id).in_(chat_ids[start : start + 500]))
            .where(col(Delivery.kind) != ALERT)
            .group_by(col(Delivery.chat_id))
        )
        for chat_id, last_end, first_start in rows:
            found[int(chat_id)] = int(last_end if last_end is not None else first_start)
    return found


async def insert_claims(session: AsyncSession, *, rows: Sequence[dict[str, object]]) -> None:
    """Ledger rows for claimed digests, in one batched statement."""
    if rows:
        await session.execute(insert(Delivery), list(rows))


async def reschedule(session: AsyncSession, *, next_due: dict[int, datetime | None]) -> None:
    """Each chat's next due instant (one batched statement)."""
    if next_due:
        await session.execute(
            update(Chat), [{"id": key, "next_due_at": value} for key, value in next_due.items()]
        )


async def pending(session: AsyncSession, *, limit: int) -> list[int]:
    """Claimed digests not finished yet (new claims, or left by a crash), oldest due first."""
    rows = await session.execute(
        select(col(Delivery.id))
        .where(col(Delivery.status) == CLAIMED)
        .where(col(Delivery.kind) != ALERT)
        .order_by(col(Delivery.due_at), col(Delivery.id))
        .limit(limit)
    )
    return [delivery_id for delivery_id in rows.scalars() if delivery_id is not None]


async def get(session: AsyncSession, *, delivery_id: int) -> Delivery | None:
    return await session.get(Delivery, delivery_id)
