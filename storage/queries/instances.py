"""Live instances of `newsdigest run`: each heartbeats, and the live ones share the send rate."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Instance


async def beat(session: AsyncSession, *, instance_id: str, now: datetime) -> None:
    """Say this instance is alive at `now` (its row is created by its first beat)."""
    result = await session.execute(
        update(Instance).where(col(Instance.id) == instance_id).values(heartbeat_at=now)
    )
    if not getattr(result, "rowcount", 0):
        session.add(Instance(id=instance_id, heartbeat_at=now))
        await session.flush()


async def live_count(session: AsyncSession, *, since: datetime) -> int:
    """How many instances beat at or after `since`."""
    count = await session.scalar(
        select(func.count()).select_from(Instance).where(col(Instance.heartbeat_at) >= since)
    )
    return int(count or 0)


async def forget_silent(session: AsyncSession, *, before: datetime) -> None:
    """Delete the rows of instances silent since before `before` (killed long ago)."""
    await session.execute(delete(Instance).where(col(Instance.heartbeat_at) < before))


async def remove(session: AsyncSession, *, instance_id: str) -> None:
    """Delete one instance's row (it stops cleanly)."""
    await session.execute(delete(Instance).where(col(Instance.id) == instance_id))
