"""Source queries: the list operators manage, and which sources are due for polling."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, or_

from storage.models import Source


async def all_sources(session: AsyncSession) -> Sequence[Source]:
    rows = await session.execute(select(Source).order_by(col(Source.id)))
    return rows.scalars().all()


async def count_sources(session: AsyncSession) -> int:
    return int((await session.execute(select(func.count()).select_from(Source))).scalar_one())


async def by_url(session: AsyncSession, *, url: str) -> Source | None:
    rows = await session.execute(select(Source).where(col(Source.url) == url))
    return rows.scalars().first()


async def get(session: AsyncSession, *, source_id: int) -> Source | None:
    return await session.get(Source, source_id)


async def add(session: AsyncSession, *, source: Source) -> Source:
    session.add(source)
    await session.flush()
    return source


async def remove(session: AsyncSession, *, source_id: int) -> bool:
    result = await session.execute(delete(Source).where(col(Source.id) == source_id))
    return bool(getattr(result, "rowcount", 0))


async def due(session: AsyncSession, *, now: datetime, limit: int) -> list[int]:
    """Enabled sources whose next poll time has come (never polled ones first)."""
    rows = await session.execute(
        select(col(Source.id))
        .where(col(Source.enabled).is_(True))
        .where(or_(col(Source.next_poll_at).is_(None), col(Source.next_poll_at) <= now))
        .order_by(col(Source.next_poll_at).is_not(None), col(Source.next_poll_at), col(Source.id))
        .limit(limit)
    )
    return [source_id for source_id in rows.scalars() if source_id is not None]
