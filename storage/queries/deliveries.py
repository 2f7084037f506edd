"""The delivery ledger: what each chat received, and its watermark into the article sequence."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Delivery

CLAIMED = "claimed"
SENT = "sent"
EMPTY = "empty"
FAILED = "failed"
# A claimed window counts too, so two runs never send the same articles; a claim that
# fails is marked FAILED and its articles come again.
DELIVERED = (CLAIMED, SENT, EMPTY)


async def watermark(session: AsyncSession, *, chat_id: int) -> int | None:
    """The last article id a chat's digests covered; None before its first digest."""
    found = await session.execute(
        select(func.max(Delivery.window_end_id))
        .where(col(Delivery.chat_id) == chat_id)
        .where(col(Delivery.status).in_(DELIVERED))
    )
    value = found.scalar()
    return None if value is None else int(value)


async def last_delivered(session: AsyncSession, *, chat_id: int) -> Delivery | None:
    """The chat's most recent digest that was sent (for `/why n`)."""
    rows = await session.execute(
        select(Delivery)
        .where(col(Delivery.chat_id) == chat_id)
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


async def finish_delivery(
    session: AsyncSession,
    *,
    delivery_id: int,
    status: str,
    message_ids: Sequence[int],
    now: datetime,
    error: str | None = None,
) -> None:
    """Mark a ledger row done (or failed) with the Telegram message ids of its parts."""
    await session.execute(
        update(Delivery)
        .where(col(Delivery.id) == delivery_id)
        .values(status=status, message_ids=list(message_ids), finished_at=now, error=error)
    )
